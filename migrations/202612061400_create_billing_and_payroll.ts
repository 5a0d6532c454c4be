import type { Knex } from 'knex';

// Billing through the simplified-enterprise account (issue 11) and the payroll that follows it (issue 12),
// designed together so a fully paid invoice can enqueue its salary in the same transaction. PRODUCT.md,
// "Billing through the simplified-enterprise account", is the specification.
//
// Money is integer öre (BIGINT), percentages are basis points (INTEGER, 3142 = 31.42 %), rates and thresholds
// are rows with validity dates, never constants in code. Rows the law or the books depend on cannot be changed
// once written: triggers refuse UPDATE/DELETE of operator settings, the audit log and issued invoices (only an
// invoice's payment state moves), so corrections are new rows (a new settings version, a credit note).

/**
 * A trigger that refuses DELETE and any UPDATE except of `movable` columns, and of `forgettable` columns only to
 * NULL (a deleted account's user id: the row is kept without the person, PRODUCT.md "My data").
 */
const refuseChanges = (table: string, { movable = [] as string[], forgettable = [] as string[] } = {}) => {
  const list = (columns: string[]) => columns.map((column) => `'${column}'`).join(', ');
  // A clause only for a list that has columns: `key NOT IN (NULL)` is never true in SQL and would let every
  // change through.
  const skipMovable = movable.length ? `AND key NOT IN (${list(movable)})` : '';
  const skipForgotten = forgettable.length ? `AND NOT (key IN (${list(forgettable)}) AND n.value = 'null'::jsonb)` : '';
  return `
    CREATE FUNCTION ${table}_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '${table} rows are never deleted' USING ERRCODE = 'P0001';
      END IF;
      IF EXISTS (
        SELECT 1 FROM jsonb_each(to_jsonb(OLD)) o JOIN jsonb_each(to_jsonb(NEW)) n USING (key)
        WHERE o.value IS DISTINCT FROM n.value ${skipMovable} ${skipForgotten}
      ) THEN
        RAISE EXCEPTION '${table} rows are never changed${movable.length ? ` (apart from ${movable.join(', ')})` : ''}' USING ERRCODE = 'P0001';
      END IF;
      RETURN NEW;
    END $$;
    CREATE TRIGGER ${table}_refuse_change BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION ${table}_refuse_change();`;
};

export async function up(knex: Knex): Promise<void> {
  // --- the operator (the employer and seller), one version per validity date -------------------------------
  await knex.schema.createTable('operator_settings', (t) => {
    t.bigIncrements('id').primary();
    t.date('valid_from').notNullable().unique();
    t.text('name').notNullable();
    t.string('organisation_number', 10).notNullable(); // 10 digits, no hyphen
    t.text('vat_number').notNullable(); // SE + 10 digits + 01
    t.text('street_address').notNullable();
    t.string('postal_code', 5).notNullable();
    t.text('city').notNullable();
    t.text('bankgiro').notNullable(); // digits only, 7 or 8
    t.boolean('f_tax_approved').notNullable(); // "Godkänd för F-skatt" on every invoice
    t.integer('fee_bp').notNullable(); // service fee of the invoice excl. VAT, 600 = 6 %
    t.integer('payment_terms_days').notNullable();
    t.text('invoice_series').notNullable();
    t.text('email').notNullable(); // the operator's address on invoices and the sender's reply-to
    t.bigInteger('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE operator_settings
    ADD CONSTRAINT operator_settings_organisation_number CHECK (organisation_number ~ '^[0-9]{10}$'),
    ADD CONSTRAINT operator_settings_postal_code CHECK (postal_code ~ '^[0-9]{5}$'),
    ADD CONSTRAINT operator_settings_bankgiro CHECK (bankgiro ~ '^[0-9]{7,8}$'),
    ADD CONSTRAINT operator_settings_fee CHECK (fee_bp BETWEEN 0 AND 5000),
    ADD CONSTRAINT operator_settings_terms CHECK (payment_terms_days BETWEEN 0 AND 120),
    ADD CONSTRAINT operator_settings_series CHECK (invoice_series ~ '^[A-Z0-9]{1,10}$')`);
  await knex.raw(refuseChanges('operator_settings', { forgettable: ['created_by'] }));

  // --- payroll staff: appointed by platform admins, like officers -------------------------------------------
  await knex.schema.createTable('payroll_staff', (t) => {
    t.bigInteger('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.bigInteger('appointed_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('appointed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  // --- rates as dated data ----------------------------------------------------------------------------------
  // Employer contributions by the worker's age when the payout year began (calendar.ts ageWhenYearBegan):
  // a row applies to payouts on valid_from … valid_to and ages min_age … max_age (NULL = no bound). The most
  // specific row wins (an age band over the general rate); monthly_cap_ore limits a reduced rate to that much
  // pay per calendar month and person, the rest at the general rate of the day.
  await knex.schema.createTable('employer_contribution_rates', (t) => {
    t.bigIncrements('id').primary();
    t.date('valid_from').notNullable();
    t.date('valid_to');
    t.integer('min_age');
    t.integer('max_age');
    t.integer('rate_bp').notNullable();
    t.bigInteger('monthly_cap_ore');
    t.text('note').notNullable();
  });
  await knex.raw(`ALTER TABLE employer_contribution_rates
    ADD CONSTRAINT employer_contribution_rates_rate CHECK (rate_bp BETWEEN 0 AND 10000),
    ADD CONSTRAINT employer_contribution_rates_dates CHECK (valid_to IS NULL OR valid_to >= valid_from),
    ADD CONSTRAINT employer_contribution_rates_ages CHECK (min_age IS NULL OR max_age IS NULL OR max_age >= min_age),
    ADD CONSTRAINT employer_contribution_rates_cap CHECK (monthly_cap_ore IS NULL OR monthly_cap_ore > 0)`);
  // Other payroll figures by name and date: vacation_pay_bp, contribution_threshold_ore (no contributions while
  // the year's pay stays under it), tax_side_income_bp (the default withholding), tax_sink_bp.
  await knex.schema.createTable('payroll_parameters', (t) => {
    t.bigIncrements('id').primary();
    t.text('name').notNullable();
    t.date('valid_from').notNullable();
    t.bigInteger('value').notNullable();
    t.text('note').notNullable();
    t.unique(['name', 'valid_from']);
  });
  await knex.raw(`ALTER TABLE payroll_parameters ADD CONSTRAINT payroll_parameters_name
    CHECK (name IN ('vacation_pay_bp', 'contribution_threshold_ore', 'tax_side_income_bp', 'tax_sink_bp'))`);
  await knex('employer_contribution_rates').insert([
    { valid_from: '2026-01-01', rate_bp: 3142, note: 'Full rate (SFS 2026:100)' },
    {
      valid_from: '2026-01-01',
      min_age: 67,
      max_age: 87,
      rate_bp: 1021,
      note: 'Turned 67 before the year began (born 1938–1958 in 2026): retirement pension contribution only',
    },
    { valid_from: '2026-01-01', min_age: 88, rate_bp: 0, note: 'Born 1937 or earlier (2026): no contributions' },
    {
      valid_from: '2026-04-01',
      valid_to: '2027-09-30',
      min_age: 18,
      max_age: 22,
      rate_bp: 2081,
      monthly_cap_ore: 2_500_000,
      note: 'Temporary youth reduction: turned 18 but not 23 when the year began, on at most 25 000 kr a month',
    },
  ]);
  await knex('payroll_parameters').insert([
    { name: 'vacation_pay_bp', valid_from: '2026-01-01', value: 1200, note: 'Semesterersättning 12 % (semesterlagen 16 b §)' },
    {
      name: 'contribution_threshold_ore',
      valid_from: '2026-01-01',
      value: 100_000,
      note: 'No contributions while the year’s pay to a person stays under 1 000 kr (SAL 2 kap. 20 §)',
    },
    { name: 'tax_side_income_bp', valid_from: '2026-01-01', value: 3000, note: '30 % withholding on side income (sidoinkomst)' },
    { name: 'tax_sink_bp', valid_from: '2026-01-01', value: 2250, note: 'SINK 22.5 % (2026)' },
    { name: 'tax_sink_bp', valid_from: '2027-01-01', value: 2000, note: 'SINK 20 % from 2027' },
  ]);

  // --- the worker's simplified-enterprise account ------------------------------------------------------------
  // The personnummer is stored encrypted (AES-256-GCM, key id for rotation) with a keyed hash (HMAC-SHA-256)
  // that keeps it unique without decrypting; the birth date is kept apart because contributions need it.
  await knex.schema.createTable('enterprise_accounts', (t) => {
    t.bigInteger('user_id').primary().references('id').inTable('users').onDelete('CASCADE');
    t.binary('personal_number_ciphertext').notNullable();
    t.text('personal_number_key_id').notNullable();
    t.binary('personal_number_hash').notNullable().unique();
    t.boolean('coordination_number').notNullable(); // samordningsnummer
    t.date('birth_date').notNullable();
    t.string('clearing_number', 5).notNullable();
    t.string('account_number', 15).notNullable();
    t.text('tax_mode').notNullable(); // side_income | own | sink
    t.integer('own_tax_bp');
    t.date('tax_decision_date');
    t.timestamp('terms_accepted_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE enterprise_accounts
    ADD CONSTRAINT enterprise_accounts_tax_mode CHECK (tax_mode IN ('side_income', 'own', 'sink')),
    ADD CONSTRAINT enterprise_accounts_own_tax CHECK ((tax_mode = 'own') = (own_tax_bp IS NOT NULL AND tax_decision_date IS NOT NULL)),
    ADD CONSTRAINT enterprise_accounts_own_tax_range CHECK (own_tax_bp IS NULL OR own_tax_bp BETWEEN 0 AND 10000),
    ADD CONSTRAINT enterprise_accounts_clearing CHECK (clearing_number ~ '^[0-9]{4,5}$'),
    ADD CONSTRAINT enterprise_accounts_account CHECK (account_number ~ '^[0-9]{1,15}$')`);

  // Every view of a full personnummer: who saw whose, when and why. Append-only.
  await knex.schema.createTable('personal_data_views', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('viewer_user_id').references('id').inTable('users').onDelete('SET NULL');
    t.bigInteger('subject_user_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('purpose').notNullable();
    t.timestamp('viewed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(refuseChanges('personal_data_views', { forgettable: ['viewer_user_id', 'subject_user_id'] }));

  // --- billing bases (fakturaunderlag) ------------------------------------------------------------------------
  // One per accepted application: one worker's work on one assignment is billed once (the unique key).
  await knex.schema.createTable('billing_bases', (t) => {
    t.bigIncrements('id').primary();
    // NULL once the applicant's account is deleted (the application goes with it; the basis is kept for the books).
    t.bigInteger('application_id').unique().references('id').inTable('applications').onDelete('SET NULL');
    t.bigInteger('worker_user_id').references('id').inTable('users').onDelete('SET NULL'); // NULL: account deleted, record kept
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations').onDelete('RESTRICT');
    t.bigInteger('assignment_id').notNullable().references('id').inTable('assignments').onDelete('RESTRICT');
    t.text('status').notNullable().defaultTo('draft'); // draft | submitted | disputed | approved
    t.date('period_start').notNullable();
    t.date('period_end').notNullable();
    t.integer('vat_bp').notNullable().defaultTo(2500);
    t.text('vat_reason'); // why 12, 6 or 0 %
    t.text('description').notNullable().defaultTo('');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('approved_at', { useTz: true });
    t.bigInteger('approved_by').references('id').inTable('users').onDelete('SET NULL');
  });
  await knex.raw(`ALTER TABLE billing_bases
    ADD CONSTRAINT billing_bases_status CHECK (status IN ('draft', 'submitted', 'disputed', 'approved')),
    ADD CONSTRAINT billing_bases_vat CHECK (vat_bp IN (2500, 1200, 600, 0)),
    ADD CONSTRAINT billing_bases_vat_reason CHECK (vat_bp = 2500 OR vat_reason IS NOT NULL),
    ADD CONSTRAINT billing_bases_period CHECK (period_end >= period_start)`);
  await knex.schema.createTable('billing_basis_lines', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('basis_id').notNullable().references('id').inTable('billing_bases').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('kind').notNullable(); // hours | fixed
    t.text('description').notNullable();
    t.integer('quantity_hundredths'); // hours × 100 (2.5 h = 250); NULL for a fixed amount
    t.bigInteger('unit_price_ore'); // per hour; NULL for a fixed amount
    t.bigInteger('amount_ore').notNullable(); // excl. VAT
    t.unique(['basis_id', 'position']);
  });
  await knex.raw(`ALTER TABLE billing_basis_lines
    ADD CONSTRAINT billing_basis_lines_kind CHECK (kind IN ('hours', 'fixed')),
    ADD CONSTRAINT billing_basis_lines_amount CHECK (amount_ore > 0),
    ADD CONSTRAINT billing_basis_lines_hours CHECK ((kind = 'hours') = (quantity_hundredths IS NOT NULL AND unit_price_ore IS NOT NULL))`);
  await knex.schema.createTable('billing_basis_expenses', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('basis_id').notNullable().references('id').inTable('billing_bases').onDelete('CASCADE');
    t.text('description').notNullable();
    t.bigInteger('amount_ore').notNullable(); // incl. any VAT paid: the worker is paid back what they paid
    t.text('receipt_storage_key').notNullable();
    t.text('receipt_content_type').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE billing_basis_expenses ADD CONSTRAINT billing_basis_expenses_amount CHECK (amount_ore > 0)`);
  // What happened to a basis, kept when it is disputed and sent again.
  await knex.schema.createTable('billing_basis_events', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('basis_id').notNullable().references('id').inTable('billing_bases').onDelete('CASCADE');
    t.text('kind').notNullable(); // submitted | disputed | approved
    t.bigInteger('actor_user_id').references('id').inTable('users').onDelete('SET NULL');
    t.text('comment');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE billing_basis_events ADD CONSTRAINT billing_basis_events_kind
    CHECK (kind IN ('submitted', 'disputed', 'approved'))`);

  // --- invoices and credit notes ------------------------------------------------------------------------------
  // The next number per series, taken with SELECT … FOR UPDATE in the approval's transaction: gapless under
  // concurrency, which a sequence is not (a rolled-back transaction would leave a hole).
  await knex.schema.createTable('invoice_number_counters', (t) => {
    t.text('series').primary();
    t.integer('next_number').notNullable().defaultTo(1);
  });
  await knex.schema.createTable('invoices', (t) => {
    t.bigIncrements('id').primary();
    t.text('kind').notNullable().defaultTo('invoice'); // invoice | credit_note
    t.text('series').notNullable();
    t.integer('number').notNullable();
    t.bigInteger('credits_invoice_id').references('id').inTable('invoices').onDelete('RESTRICT');
    t.bigInteger('basis_id').references('id').inTable('billing_bases').onDelete('RESTRICT');
    t.bigInteger('operator_settings_id').notNullable().references('id').inTable('operator_settings').onDelete('RESTRICT');
    t.bigInteger('organisation_id').notNullable().references('id').inTable('organisations').onDelete('RESTRICT');
    t.bigInteger('worker_user_id').references('id').inTable('users').onDelete('SET NULL'); // NULL: account deleted, record kept
    // The buyer as invoiced (the organisation's details may change later; the invoice does not).
    t.text('buyer_name').notNullable();
    t.text('buyer_address').notNullable();
    t.text('buyer_email').notNullable();
    t.text('buyer_organisation_number');
    t.date('invoice_date').notNullable();
    t.date('due_date').notNullable();
    t.date('delivery_start').notNullable();
    t.date('delivery_end').notNullable();
    t.text('ocr').notNullable().unique();
    t.integer('vat_bp').notNullable();
    t.text('vat_reason');
    t.bigInteger('amount_excl_vat_ore').notNullable(); // negative on a credit note
    t.bigInteger('vat_ore').notNullable();
    t.bigInteger('total_ore').notNullable();
    t.bigInteger('expenses_ore').notNullable().defaultTo(0); // the part of amount_excl_vat_ore that repays expenses
    t.bigInteger('fee_ore').notNullable(); // the operator's fee, fixed when the invoice is issued
    // Payment state: the only columns that move after issue.
    t.text('status').notNullable().defaultTo('unpaid'); // unpaid | paid | credited | collection
    t.timestamp('paid_at', { useTz: true });
    t.timestamp('collection_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['series', 'number']);
  });
  await knex.raw(`ALTER TABLE invoices
    ADD CONSTRAINT invoices_kind CHECK (kind IN ('invoice', 'credit_note')),
    ADD CONSTRAINT invoices_credit CHECK ((kind = 'credit_note') = (credits_invoice_id IS NOT NULL)),
    ADD CONSTRAINT invoices_status CHECK (status IN ('unpaid', 'paid', 'credited', 'collection')),
    ADD CONSTRAINT invoices_total CHECK (total_ore = amount_excl_vat_ore + vat_ore),
    ADD CONSTRAINT invoices_due CHECK (due_date >= invoice_date),
    ADD CONSTRAINT invoices_number CHECK (number > 0)`);
  await knex.raw(`CREATE UNIQUE INDEX invoices_one_per_basis ON invoices (basis_id) WHERE kind = 'invoice'`);
  await knex.raw(refuseChanges('invoices', { movable: ['status', 'paid_at', 'collection_at'], forgettable: ['worker_user_id'] }));
  await knex.schema.createTable('invoice_lines', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('invoice_id').notNullable().references('id').inTable('invoices').onDelete('RESTRICT');
    t.integer('position').notNullable();
    t.text('description').notNullable();
    t.integer('quantity_hundredths');
    t.bigInteger('unit_price_ore');
    t.bigInteger('amount_ore').notNullable(); // excl. VAT
    t.unique(['invoice_id', 'position']);
  });
  await knex.raw(refuseChanges('invoice_lines'));

  // --- payments ------------------------------------------------------------------------------------------------
  await knex.schema.createTable('payment_imports', (t) => {
    t.bigIncrements('id').primary();
    t.text('file_sha256').notNullable().unique(); // the same file twice registers nothing twice
    t.text('filename').notNullable();
    t.text('format').notNullable(); // bgmax | csv
    t.bigInteger('imported_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('imported_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('invoice_id').references('id').inTable('invoices').onDelete('RESTRICT'); // NULL: not matched yet
    t.bigInteger('amount_ore').notNullable();
    t.date('paid_on').notNullable();
    t.text('reference').notNullable(); // the OCR or what the payer wrote
    t.text('source').notNullable(); // manual | bgmax | csv
    t.bigInteger('import_id').references('id').inTable('payment_imports').onDelete('RESTRICT');
    t.integer('import_line');
    t.bigInteger('registered_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['import_id', 'import_line']);
  });
  await knex.raw(`ALTER TABLE payments
    ADD CONSTRAINT payments_amount CHECK (amount_ore > 0),
    ADD CONSTRAINT payments_source CHECK (source IN ('manual', 'bgmax', 'csv')),
    ADD CONSTRAINT payments_import CHECK ((source = 'manual') = (import_id IS NULL))`);
  await knex.raw(`CREATE INDEX payments_invoice ON payments (invoice_id)`);
  await knex.raw(`CREATE INDEX payments_unmatched ON payments (created_at) WHERE invoice_id IS NULL`);
  // Reminders: one row per invoice and level, so each goes out once however often the job runs.
  await knex.schema.createTable('invoice_reminders', (t) => {
    t.bigInteger('invoice_id').notNullable().references('id').inTable('invoices').onDelete('RESTRICT');
    t.integer('level').notNullable(); // 1: the day after the due date, 2: 14 days later
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['invoice_id', 'level']);
  });

  // --- salaries (issue 12): one per fully paid invoice --------------------------------------------------------
  await knex.schema.createTable('salaries', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('invoice_id').notNullable().unique().references('id').inTable('invoices').onDelete('RESTRICT');
    t.bigInteger('worker_user_id').references('id').inTable('users').onDelete('SET NULL'); // NULL: account deleted, record kept
    t.date('payout_date').notNullable();
    t.bigInteger('invoice_excl_vat_ore').notNullable();
    t.bigInteger('fee_ore').notNullable();
    t.bigInteger('contributions_ore').notNullable();
    t.jsonb('contribution_lines').notNullable(); // [{ ratePercent, baseOre, amountOre }]
    t.bigInteger('gross_ore').notNullable();
    t.bigInteger('vacation_pay_ore').notNullable();
    t.integer('tax_bp').notNullable();
    t.bigInteger('tax_ore').notNullable();
    t.bigInteger('expenses_ore').notNullable();
    t.bigInteger('net_ore').notNullable();
    t.bigInteger('rounding_ore').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE salaries ADD CONSTRAINT salaries_balance
    CHECK (fee_ore + contributions_ore + gross_ore + expenses_ore + rounding_ore = invoice_excl_vat_ore)`);
  await knex.raw(refuseChanges('salaries', { forgettable: ['worker_user_id'] }));
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'salaries',
    'invoice_reminders',
    'payments',
    'payment_imports',
    'invoice_lines',
    'invoices',
    'invoice_number_counters',
    'billing_basis_events',
    'billing_basis_expenses',
    'billing_basis_lines',
    'billing_bases',
    'personal_data_views',
    'enterprise_accounts',
    'payroll_parameters',
    'employer_contribution_rates',
    'payroll_staff',
    'operator_settings',
  ])
    await knex.schema.dropTable(table);
  for (const table of ['salaries', 'invoice_lines', 'invoices', 'personal_data_views', 'operator_settings'])
    await knex.raw(`DROP FUNCTION ${table}_refuse_change()`);
}
