// Shows desktop notifications for the core events the policy lets through.
import { Notification } from 'electron';
import type { EventBus } from '../core/events/event-bus.js';
import type { NotificationPolicy } from './notifications-policy.js';

export function startNotifications(
  events: EventBus,
  policy: NotificationPolicy,
  onClick: () => void,
): () => void {
  return events.subscribe((event) => {
    const content = policy.decide(event);
    if (!content || !Notification.isSupported()) return;
    const n = new Notification({ title: content.title, body: content.body });
    n.on('click', onClick);
    n.show();
  });
}
