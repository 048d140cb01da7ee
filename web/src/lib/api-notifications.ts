// Notifications (issue 7 item 3): the signed-in user's own reminders and preferences under
// /api/v1/me, and an organization's outgoing webhooks. Types and clients of this module
// only; see api.ts for `request`.
import { request, seg, withVersion } from './api';

export interface AppNotification {
  id: string;
  org_id: string;
  kind: string;
  title: string;
  body: string;
  /** A path of this web UI. */
  link: string;
  task_key: string | null;
  created_at: string;
  read_at: string | null;
}

export interface NotificationPage {
  items: AppNotification[];
  next_cursor: string | null;
  unread_count: number;
}

export interface NotificationPreferences {
  email: boolean;
  in_app: boolean;
  digest: 'off' | 'daily';
  days_before_due: number;
  /** 0 while the defaults apply. */
  version: number;
  updated_at: string | null;
}

export type PreferencesInput = Omit<NotificationPreferences, 'version' | 'updated_at'>;

export const WEBHOOK_EVENTS = ['reminder.before', 'reminder.due', 'reminder.overdue'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export interface Webhook {
  id: string;
  url: string;
  events: WebhookEvent[];
  active: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

/** As created: the only answer that carries the signing secret. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_code: number | null;
  next_attempt_at: string;
  created_at: string;
}

export const KIND_LABELS: Record<string, string> = {
  'reminder.before': 'Coming up',
  'reminder.due': 'Due today',
  'reminder.overdue': 'Overdue',
};

export const notificationsApi = {
  async list(options: { unread?: boolean; cursor?: string | null } = {}): Promise<NotificationPage> {
    const query = { unread: options.unread ? 'true' : undefined, cursor: options.cursor ?? undefined };
    return (await request<NotificationPage>('GET', '/me/notifications', { query })).data;
  },
  async unreadCount(): Promise<number> {
    return (await request<{ unread_count: number }>('GET', '/me/notifications/unread-count')).data.unread_count;
  },
  async markRead(id: string): Promise<AppNotification> {
    return (await request<AppNotification>('POST', `/me/notifications/${seg(id)}/read`)).data;
  },
  async markAllRead(): Promise<number> {
    return (await request<{ marked: number }>('POST', '/me/notifications/read-all')).data.marked;
  },
  async preferences(): Promise<NotificationPreferences> {
    return (await request<NotificationPreferences>('GET', '/me/notification-preferences')).data;
  },
  async savePreferences(input: PreferencesInput, version: number): Promise<NotificationPreferences> {
    const answer = await request<NotificationPreferences>('PUT', '/me/notification-preferences', {
      body: input,
      ifMatch: version > 0 ? version : undefined,
    });
    return answer.data;
  },
};

export const webhooksApi = {
  async list(org: string): Promise<Webhook[]> {
    return (await request<{ items: Webhook[] }>('GET', `/orgs/${seg(org)}/webhooks`)).data.items;
  },
  async create(org: string, input: { url: string; events: WebhookEvent[]; active: boolean }): Promise<CreatedWebhook> {
    return withVersion(await request<CreatedWebhook>('POST', `/orgs/${seg(org)}/webhooks`, { body: input }));
  },
  async update(
    org: string,
    id: string,
    patch: Partial<{ url: string; events: WebhookEvent[]; active: boolean }>,
    version: number,
  ): Promise<Webhook> {
    return withVersion(
      await request<Webhook>('PATCH', `/orgs/${seg(org)}/webhooks/${seg(id)}`, { body: patch, ifMatch: version }),
    );
  },
  async remove(org: string, id: string, version: number): Promise<void> {
    await request<void>('DELETE', `/orgs/${seg(org)}/webhooks/${seg(id)}`, { ifMatch: version });
  },
  async deliveries(org: string, id: string): Promise<WebhookDelivery[]> {
    return (await request<{ items: WebhookDelivery[] }>('GET', `/orgs/${seg(org)}/webhooks/${seg(id)}/deliveries`)).data
      .items;
  },
};
