export {
  MESSAGE_MAIL_DELAY_MS,
  NOTIFICATION_TYPES,
  notify,
  SEND_NOTIFICATION_MAIL_TASK,
  type Notification,
  type NotificationType,
} from './notify.js';
