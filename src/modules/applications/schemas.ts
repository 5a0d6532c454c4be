import { z } from 'zod';
import { fieldErrors, formText, textField } from '../../platform/validation.js';

// The two forms of an application: the resident's message with the choice to
// share the profile, and the organisation's optional message when it
// declines. Messages are i18n keys ("applications.errors").

export const MESSAGE_MAX = 4000;
export const DECLINE_MESSAGE_MAX = 2000;
/** How much of an oversized text is kept on the re-rendered form: enough for everything typed, not unbounded. */
const ECHO_MAX = 20_000;

const E = 'applications.errors';

/** Length as a person counts characters (code points), as PostgreSQL's char_length does. */
const length = (text: string) => [...text].length;

/** A multi-line text; control characters other than line breaks and tabs are refused (PostgreSQL refuses NUL outright). */
const text = (max: number, key: string, required: boolean) =>
  textField({ multiline: true, typeMessage: `${E}.${key}Invalid`, message: `${E}.${key}Invalid` })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .refine((value) => !required || value.length > 0, `${E}.${key}Required`)
    .refine((value) => length(value) <= max, `${E}.${key}TooLong`);

/** A checkbox: present ("on") is yes, absent is no; anything else is not a checkbox's answer. */
const checkbox = z.union([z.literal('on'), z.undefined()], { message: `${E}.shareProfileInvalid` }).transform((v) => v === 'on');

const applySchema = z.object({ message: text(MESSAGE_MAX, 'message', true), shareProfile: checkbox });
const declineSchema = z.object({ declineMessage: text(DECLINE_MESSAGE_MAX, 'declineMessage', false).optional() });

export interface ApplyForm {
  message: string;
  shareProfile: boolean;
}

export interface DeclineForm {
  declineMessage: string;
}

/** The form as typed (for re-rendering) and, when valid, the values to store. */
export function parseApplyForm(body: Record<string, unknown>): {
  form: ApplyForm;
  values?: ApplyForm;
  errors: Record<string, string>;
} {
  const form = { message: formText(body.message, ECHO_MAX), shareProfile: body.shareProfile === 'on' };
  const parsed = applySchema.safeParse({ message: body.message ?? '', shareProfile: body.shareProfile });
  return parsed.success ? { form, values: parsed.data, errors: {} } : { form, errors: fieldErrors(parsed.error) };
}

export function parseDeclineForm(body: Record<string, unknown>): {
  form: DeclineForm;
  values?: { declineMessage: string | null };
  errors: Record<string, string>;
} {
  const form = { declineMessage: formText(body.declineMessage, ECHO_MAX) };
  const parsed = declineSchema.safeParse({ declineMessage: body.declineMessage });
  return parsed.success
    ? { form, values: { declineMessage: parsed.data.declineMessage || null }, errors: {} }
    : { form, errors: fieldErrors(parsed.error) };
}

/** An empty form for a first application: the profile is shared only when the resident chooses to. */
export const emptyApplyForm = (): ApplyForm => ({ message: '', shareProfile: false });
