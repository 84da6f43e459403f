import { Injectable, OnModuleInit } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE } from './access-rules';

/**
 * Refuses to start an app with an endpoint that declares neither @Public nor @Roles (the guard would close it
 * anyway; this makes the omission a start-up error instead of a puzzling 403).
 */
@Injectable()
export class AccessRuleCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const undeclared = undeclaredEndpoints(this.discovery, this.scanner, this.reflector);
    if (undeclared.length) {
      throw new Error(`endpoints without @Public() or @Roles(...): ${undeclared.join(', ')}`);
    }
  }
}

/** `Controller.method` of every route handler that has no access rule of its own or on its controller. */
export function undeclaredEndpoints(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): string[] {
  return discovery.getControllers().flatMap(({ instance, metatype }) => {
    if (!instance || !metatype) return [];
    const prototype = Object.getPrototypeOf(instance);
    return scanner
      .getAllMethodNames(prototype)
      .filter((method) => Reflect.getMetadata(PATH_METADATA, prototype[method]) !== undefined)
      .filter((method) => !reflector.getAllAndOverride(ACCESS_RULE, [prototype[method], metatype]))
      .map((method) => `${metatype.name}.${method}`);
  });
}
