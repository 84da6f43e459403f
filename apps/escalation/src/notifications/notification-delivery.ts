import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { backOff } from 'exponential-backoff';
import { createTransport, Transporter } from 'nodemailer';
import { EmailChannel, NamedChannel, WebhookChannel } from '@oversight/policy';
import { EscalationEnvironment } from '../config/escalation-environment';
import { ReviewNotification } from './review-notification';
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature';

/** A receiver's answer that another attempt cannot change (a 4xx other than timeout or rate limit). */
class PermanentDeliveryError extends Error {}

export interface DeliveryOutcome {
  channel: string;
  ok: boolean;
  attempts: number;
  error?: string;
}

/**
 * Sends a notification through each of its channels: signed webhooks and email, each retried with exponential
 * backoff and jitter for `NOTIFY_MAX_ATTEMPTS` attempts; an answer that cannot change (a 4xx) is not retried.
 */
@Injectable()
export class NotificationDelivery implements OnApplicationShutdown {
  private readonly logger = new Logger(NotificationDelivery.name);
  private readonly mail: Transporter;
  private readonly secret: string;
  private readonly from: string;
  private readonly maxAttempts: number;
  private readonly firstDelayMs: number;

  constructor(config: ConfigService<EscalationEnvironment, true>) {
    this.mail = createTransport(config.get('SMTP_URL', { infer: true }));
    this.secret = config.get('NOTIFY_WEBHOOK_SECRET', { infer: true });
    this.from = config.get('NOTIFY_FROM', { infer: true });
    this.maxAttempts = config.get('NOTIFY_MAX_ATTEMPTS', { infer: true });
    this.firstDelayMs = config.get('NOTIFY_RETRY_DELAY_MS', { infer: true });
  }

  onApplicationShutdown(): void {
    this.mail.close();
  }

  deliverAll(notification: ReviewNotification, channels: NamedChannel[]): Promise<DeliveryOutcome[]> {
    return Promise.all(channels.map((channel) => this.deliver(notification, channel)));
  }

  private async deliver(
    notification: ReviewNotification,
    { name, channel }: NamedChannel,
  ): Promise<DeliveryOutcome> {
    let attempts = 0;
    // A validated channel is exactly one of the two.
    const { webhook, email } = channel;
    const send = async () => {
      attempts++;
      if (webhook) return this.post(notification, webhook);
      if (email) return this.email(notification, email);
    };
    try {
      await backOff(send, {
        numOfAttempts: this.maxAttempts,
        startingDelay: this.firstDelayMs,
        timeMultiple: 2,
        maxDelay: 30_000,
        jitter: 'full',
        retry: (error) => !(error instanceof PermanentDeliveryError),
      });
      return { channel: name, ok: true, attempts };
    } catch (error) {
      const message = (error as Error).message;
      this.logger.error({
        message: `notification not delivered through ${name} after ${attempts} attempt(s)`,
        decisionId: notification.decisionId,
        deliveryId: notification.deliveryId,
        kind: notification.kind,
        error: message,
      });
      return { channel: name, ok: false, attempts, error: message };
    }
  }

  private async post(notification: ReviewNotification, webhook: WebhookChannel): Promise<void> {
    const body = JSON.stringify(notification);
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(this.secret, body, Math.floor(Date.now() / 1000)),
        'x-oversight-delivery': notification.deliveryId,
        'x-oversight-event': notification.kind,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return;
    const error = `${webhook.url} answered ${response.status}`;
    if (
      response.status >= 400 &&
      response.status < 500 &&
      response.status !== 408 &&
      response.status !== 429
    ) {
      throw new PermanentDeliveryError(error);
    }
    throw new Error(error);
  }

  private async email(notification: ReviewNotification, email: EmailChannel): Promise<void> {
    const t = notification.task;
    await this.mail.sendMail({
      from: this.from,
      to: email.to,
      subject: notification.text,
      text: [
        notification.text,
        '',
        t.summary,
        `Tier ${t.tier} (score ${t.score}); approvals ${t.quorum.given} of ${t.quorum.required}; due ${t.dueAt}.`,
        `Open it: ${notification.link}`,
      ].join('\n'),
      headers: {
        'X-Oversight-Delivery': notification.deliveryId,
        'X-Oversight-Decision': notification.decisionId,
      },
    });
  }
}
