// Valid application forms and tiny files, shared by tests and the benchmark (no test runner imports here).
import { APPLICANT, FORM_EXAMPLES } from '../../api/modules/procedures/forms';

export { APPLICANT };

export const FORMS = {
  JUB: FORM_EXAMPLES.JUB,
  NCM: FORM_EXAMPLES.NCM,
  IMV: {
    applicant: APPLICANT,
    household: {
      members: [
        {
          id_number: '12345678Z',
          full_name: 'Carmen López García',
          birth_date: '1980-05-04',
          relationship: 'solicitante',
        },
        { id_number: '11111111H', full_name: 'Pablo López López', birth_date: '2012-09-01', relationship: 'hijo' },
      ],
    },
    housing_regime: 'alquiler',
    annual_income_previous_year: 4200,
  },
} as const;

/** Smallest files whose first bytes say what they are. */
export const PDF_BYTES = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
export const PNG_BYTES = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
]);
