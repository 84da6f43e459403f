/**
 * The demo's own diagnostics (kafkajs warnings, control-topic oddities) as JSON lines in a file, so they never
 * tear the live summary apart.
 */
import fs from 'node:fs';
import { MessagingLogger } from '@oversight/messaging';

export function fileLogger(file: string): MessagingLogger {
  fs.writeFileSync(file, '');
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    try {
      fs.appendFileSync(
        file,
        `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
      );
    } catch {
      // Diagnostics must never stop the demo.
    }
  };
  return { debug: () => undefined, info: write('info'), warn: write('warn'), error: write('error') };
}
