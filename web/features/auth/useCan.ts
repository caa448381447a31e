import { can, isRole, type Permission } from '../../../common/roles';
import { useSession } from './session';

/** Whether the current role may do something; the web app only hides buttons, the server enforces. */
export function useCan(permission: Permission): boolean {
  const role = useSession().data?.role ?? '';
  return isRole(role) && can(role, permission);
}
