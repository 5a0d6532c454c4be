export { messageRoutes } from './routes.js';
export {
  getThread,
  MESSAGE_MAX_LENGTH,
  postMessage,
  threadPath,
  unreadMessageCounts,
  unreadMessageTotal,
  WRITABLE_STATUSES,
  type Thread,
  type ThreadMessage,
} from './service.js';
