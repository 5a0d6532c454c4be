import type { ModuleDescription } from '../../web/module.js';
import { enterpriseAccountRoutes } from './account-routes.js';
import { auditRoutes } from './audit-routes.js';
import { billingBasisRoutes } from './basis-routes.js';
import { calculatorOpenApi } from './calculator-openapi.js';
import { calculatorRoutes } from './calculator-routes.js';
import { creditNoteRoutes } from './credit-note-routes.js';
import { declarationRoutes } from './declaration-routes.js';
import { invoiceRoutes } from './invoice-routes.js';
import { ledgerRoutes } from './ledger-routes.js';
import { operatorRoutes } from './operator-routes.js';
import { payrollRoutes } from './payroll-routes.js';
import { payslipRoutes } from './payslip-routes.js';
import { REMINDERS_CRONTAB, reminderTasks } from './reminders.js';
import { salaryRoutes } from './salary-routes.js';
import { salaryTasks } from './salary-service.js';

// Billing through the simplified-enterprise account (PRODUCT.md): the operator's settings, the worker's
// account, billing bases, invoices, payments and reminders, and the salary calculation they share with payroll.

export { activateEnterpriseAccount, rotatePersonalNumberKeys } from './account-service.js';
export { issueInvoice } from './invoices.js';
export { recordAudit } from './audit.js';
export {
  selectApplicationBilling,
  selectBillingDashboard,
  type ApplicationBilling,
  type BillingDashboard,
} from './basis-queries.js';
export { closePdfRendering, configurePdfRendering } from './pdf-rendering.js';
// For npm run bench:billing (src/cli/bench-billing.ts):
export { defaultPeriod, sieExport } from './ledger-service.js';
export { getPayslipPdf } from './payslip-service.js';
export { runSalary } from './salary-service.js';

export const billingModule: ModuleDescription = {
  name: 'billing',
  routes: (deps) => [
    calculatorRoutes(deps),
    enterpriseAccountRoutes(deps),
    operatorRoutes(deps),
    billingBasisRoutes(deps),
    invoiceRoutes(deps),
    payrollRoutes(deps),
    creditNoteRoutes(deps),
    salaryRoutes(deps),
    payslipRoutes(deps),
    declarationRoutes(deps),
    ledgerRoutes(deps),
    auditRoutes(deps),
  ],
  tasks: (deps) => ({ ...reminderTasks(deps), ...salaryTasks(deps) }),
  crontab: [REMINDERS_CRONTAB],
  openApi: calculatorOpenApi,
};
