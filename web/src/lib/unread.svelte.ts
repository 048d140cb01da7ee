// The unread count the notification bell shows. Pages that mark notifications read
// refresh it, so the bell does not wait for its next poll.
import { notificationsApi } from './api-notifications';

export const unread = $state({ count: 0 });

export async function refreshUnread(): Promise<void> {
  try {
    unread.count = await notificationsApi.unreadCount();
  } catch {
    // The bell keeps its last count; the next poll tries again.
  }
}
