import { z } from 'zod';
import { fieldErrors, formText, textField } from '../../platform/validation.js';

export const MAX_COMMENT_LENGTH = 1000;
export const RATINGS = [1, 2, 3, 4, 5] as const;

/** What the form shows again after a refusal: the user's input, as typed. */
export interface FeedbackForm {
  rating: string;
  comment: string;
}

export const emptyFeedbackForm = (): FeedbackForm => ({ rating: '', comment: '' });

const feedbackSchema = z.object({
  rating: z
    .string({ message: 'feedback.errors.rating' })
    .regex(/^[1-5]$/, 'feedback.errors.rating')
    .transform(Number),
  // A textarea sends CRLF line breaks; counted as one character each, as the user sees them.
  comment: textField({ multiline: true, typeMessage: 'feedback.errors.comment' })
    .default('')
    .transform((text) => text.replace(/\r\n?/g, '\n').trim())
    .refine((text) => [...text].length <= MAX_COMMENT_LENGTH, 'feedback.errors.commentTooLong'),
});

export type FeedbackValues = z.output<typeof feedbackSchema>;

/** The body as values, or the message per field and the input to show again. */
export function validateFeedbackForm(body: Record<string, unknown>): {
  values?: FeedbackValues;
  errors: Record<string, string>;
  form: FeedbackForm;
} {
  const form = { rating: formText(body.rating), comment: formText(body.comment) };
  const parsed = feedbackSchema.safeParse({ rating: body.rating, comment: body.comment });
  if (!parsed.success) return { errors: fieldErrors(parsed.error), form };
  return { values: parsed.data, errors: {}, form };
}
