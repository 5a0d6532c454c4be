import { calendarDateInStockholm } from '../../platform/calendar.js';
import type { AssignmentDetail } from './queries.js';

// schema.org JobPosting for search engines, as a JSON-LD data block. A data
// block is not executed, so the CSP's script-src does not apply; "<" is
// escaped so no text in the assignment can close the element.

export function jobPostingJsonLd(assignment: AssignmentDetail, url: string): string {
  const paid = assignment.compensationType === 'hourly' || assignment.compensationType === 'fixed';
  const data = {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    title: assignment.title,
    description: assignment.description,
    url,
    ...(assignment.publishedAt ? { datePosted: calendarDateInStockholm(new Date(assignment.publishedAt)) } : {}), // the Swedish day, not UTC's
    ...(assignment.applyBy ? { validThrough: `${assignment.applyBy}T23:59:59+01:00` } : {}),
    employmentType: assignment.compensationType === 'volunteer' ? 'VOLUNTEER' : 'CONTRACTOR',
    hiringOrganization: { '@type': 'Organization', name: assignment.organisationName },
    jobLocation: {
      '@type': 'Place',
      address: {
        '@type': 'PostalAddress',
        ...(assignment.localityName ? { addressLocality: assignment.localityName } : {}),
        addressRegion: assignment.municipalityName,
        addressCountry: 'SE',
      },
    },
    ...(paid && assignment.amountSek !== null
      ? {
          baseSalary: {
            '@type': 'MonetaryAmount',
            currency: 'SEK',
            value: {
              '@type': 'QuantitativeValue',
              value: assignment.amountSek,
              unitText: assignment.compensationType === 'hourly' ? 'HOUR' : 'PROJECT',
            },
          },
        }
      : {}),
  };
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}
