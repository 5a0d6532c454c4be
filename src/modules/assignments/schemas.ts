import { z } from 'zod';
import { dateProblem, EARLIEST_DATE, LATEST_DATE } from '../../platform/validation.js';

export const COMPENSATION_TYPES = ['hourly', 'fixed', 'volunteer', 'by_agreement'] as const;
export type CompensationType = (typeof COMPENSATION_TYPES)[number];

// The values of an assignment as code writes them (seeds, imports, tests); people
// type theirs into the posting form (form.ts), which checks every field first.
// Messages here are for developers. The dates follow the forms' one rule.
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine((value) => dateProblem(value) === undefined, `must be a real date from ${EARLIEST_DATE} to ${LATEST_DATE}`);

export const newAssignmentSchema = z
  .object({
    organisationId: z.number().int().positive(),
    createdBy: z.number().int().positive().nullish(),
    title: z.string().trim().min(5, 'must be at least 5 characters').max(120, 'must be at most 120 characters'),
    description: z.string().trim().min(20, 'must be at least 20 characters').max(10_000, 'must be at most 10 000 characters'),
    categorySlug: z.string().min(1),
    municipalityCode: z.string().regex(/^\d{4}$/, 'must be a 4-digit municipality code'),
    localitySlug: z.string().min(1).nullish(),
    lat: z.number().min(-90).max(90).nullish(),
    lng: z.number().min(-180).max(180).nullish(),
    compensationType: z.enum(COMPENSATION_TYPES),
    amountSek: z.number().int('must be whole kronor').positive().max(1_000_000).nullish(),
    estimatedHours: z.number().positive().max(10_000).nullish(),
    startsOn: isoDate.nullish(),
    endsOn: isoDate.nullish(),
    applyBy: isoDate.nullish(),
    peopleNeeded: z.number().int().min(1).max(100).default(1),
    requirements: z.string().trim().max(2000).default(''),
    workTraining: z.boolean().default(false),
    supervisorAvailable: z.boolean().default(false),
    status: z.enum(['draft', 'published']),
    publishedAt: z.date().optional(),
  })
  .superRefine((value, ctx) => {
    const paid = value.compensationType === 'hourly' || value.compensationType === 'fixed';
    if (paid && value.amountSek == null)
      ctx.addIssue({ code: 'custom', path: ['amountSek'], message: 'is required for paid work' });
    if (!paid && value.amountSek != null)
      ctx.addIssue({ code: 'custom', path: ['amountSek'], message: 'must be empty unless paid' });
    if ((value.lat == null) !== (value.lng == null))
      ctx.addIssue({ code: 'custom', path: ['lat'], message: 'needs both latitude and longitude' });
    if (value.startsOn && value.endsOn && value.endsOn < value.startsOn) {
      ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'must not be before the start date' });
    }
  });

export type NewAssignment = z.input<typeof newAssignmentSchema>;
