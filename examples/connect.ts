import { Puente } from '@puente/sdk';

export const BASE_URL = process.env.PUENTE_BASE_URL ?? 'http://localhost:3000';

/**
 * A client from PUENTE_API_KEY, or, with none, a freshly registered test-mode organisation so
 * the examples run with zero configuration next to `npm start`.
 */
export async function connect(): Promise<Puente> {
  if (process.env.PUENTE_API_KEY) return new Puente({ apiKey: process.env.PUENTE_API_KEY, baseUrl: BASE_URL });
  const anonymous = new Puente({ baseUrl: BASE_URL });
  const n = Math.floor(Math.random() * 9_000_000) + 1_000_000;
  const registration = await anonymous.organization.register({
    legal_name: `Gestoría Ejemplo ${n} S.L.`,
    nif: entityNif(n),
    kind: 'gestoria',
    professional_standing: {
      colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
      registration_number: String(n % 10000),
      practising: true,
    },
    contact_email: `ejemplo${n}@gestoria.test`,
    owner: { name: 'Lucía Martínez Pardo', id_number: '12345678Z' },
  });
  console.log(
    `Registered ${registration.organization.legal_name} (${registration.organization.id}); using its test key.`,
  );
  return new Puente({ apiKey: registration.test_key.secret, baseUrl: BASE_URL });
}

/** A valid B (S.L.) entity NIF for a number: 7 digits and the control digit. */
function entityNif(n: number): string {
  const digits = String(n % 10_000_000).padStart(7, '0');
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = Number(digits[i]);
    sum += i % 2 === 1 ? d : Math.floor((d * 2) / 10) + ((d * 2) % 10);
  }
  return `B${digits}${(10 - (sum % 10)) % 10}`;
}

/** The smallest file the API accepts as a PDF (it checks content, not names). */
export function samplePdf(title: string): Uint8Array {
  return new TextEncoder().encode(`%PDF-1.4\n% ${title}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);
}
