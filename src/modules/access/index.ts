export { authorize, can, loadActor, VISITOR, type Action, type Actor, type MemberRole, type Resource } from './policy.js';
