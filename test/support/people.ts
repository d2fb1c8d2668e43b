// Valid identifiers and registration bodies, shared by tests and the load tools (no test runner imports here).

import { entityNifControl } from '../../api/lib/identifiers';

/** Valid entity NIFs (CIF) for test organisations: letter + 7 digits + control. */
export function entityNif(seed: number, letter = 'B'): string {
  const digits = String(seed % 10_000_000).padStart(7, '0');
  const control = entityNifControl(digits);
  return `${letter}${digits}${letter === 'G' || letter === 'B' ? control.digit : control.letter}`;
}

/** Valid DNI for a number. */
export function dni(n: number): string {
  const digits = String(n % 100_000_000).padStart(8, '0');
  return digits + 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(digits) % 23];
}

let counter = Math.floor(Math.random() * 1_000_000);

export function registrationBody(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    legal_name: `Gestoría Prueba ${counter} S.L.`,
    nif: entityNif(counter),
    kind: 'gestoria',
    professional_standing: {
      colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
      registration_number: String(1000 + (counter % 9000)),
      practising: true,
    },
    contact_email: `contacto${counter}@gestoria.test`,
    owner: { name: 'Lucía Martínez Pardo', id_number: dni(counter * 7 + 3), email: `lucia${counter}@gestoria.test` },
    ...overrides,
  };
}
