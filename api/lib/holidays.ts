/**
 * Non-working days for administrative deadlines (Ley 39/2015, art. 30), as data. National days
 * apply everywhere; regional ones only in the listed communities (ISO 3166-2:ES codes). A year
 * absent from COVERED_YEARS has no data, and any calculation touching it must fail.
 */

export const REGION_CODES = [
  'AN', 'AR', 'AS', 'CN', 'CB', 'CL', 'CM', 'CT', 'EX', 'GA', 'IB', 'RI', 'MD', 'MC', 'NC', 'PV', 'VC', 'CE', 'ML',
] as const;
export type RegionCode = (typeof REGION_CODES)[number];

export interface Holiday {
  date: string;
  scope: 'national' | 'regional';
  /** Communities where a regional day is a holiday. */
  regions?: readonly RegionCode[];
  name: string;
  provisional: boolean;
}

export const COVERED_YEARS: Readonly<Record<number, { provisional: boolean; source: string }>> = {
  2025: { provisional: false, source: 'BOE-A-2024-21316' },
  2026: { provisional: false, source: 'BOE de 28 de octubre de 2025' },
  2027: { provisional: true, source: 'Proyección: calendario aún no publicado en el BOE' },
};

const ALL_BUT = (...excluded: RegionCode[]): RegionCode[] => REGION_CODES.filter((r) => !excluded.includes(r));

function national(year: number, provisional: boolean, days: Array<[string, string]>): Holiday[] {
  return days.map(([md, name]) => ({ date: `${year}-${md}`, scope: 'national', name, provisional }));
}

export const HOLIDAYS: readonly Holiday[] = [
  ...national(2025, false, [
    ['01-01', 'Año Nuevo'], ['01-06', 'Epifanía del Señor'], ['04-18', 'Viernes Santo'], ['05-01', 'Fiesta del Trabajo'],
    ['08-15', 'Asunción de la Virgen'], ['11-01', 'Todos los Santos'], ['12-06', 'Día de la Constitución'],
    ['12-08', 'Inmaculada Concepción'], ['12-25', 'Natividad del Señor'],
  ]),
  { date: '2025-04-17', scope: 'regional', regions: ALL_BUT('CT', 'VC'), name: 'Jueves Santo', provisional: false },
  { date: '2025-04-21', scope: 'regional', regions: ['CT', 'PV', 'RI', 'NC', 'VC'], name: 'Lunes de Pascua', provisional: false },

  ...national(2026, false, [
    ['01-01', 'Año Nuevo'], ['01-06', 'Epifanía del Señor'], ['04-03', 'Viernes Santo'], ['05-01', 'Fiesta del Trabajo'],
    ['08-15', 'Asunción de la Virgen'], ['10-12', 'Fiesta Nacional de España'], ['11-01', 'Todos los Santos'],
    ['12-08', 'Inmaculada Concepción'], ['12-25', 'Natividad del Señor'],
  ]),
  { date: '2026-04-02', scope: 'regional', regions: ALL_BUT('CT', 'VC'), name: 'Jueves Santo', provisional: false },
  {
    date: '2026-11-02',
    scope: 'regional',
    regions: ['AN', 'AR', 'AS', 'CN', 'CM', 'CL', 'EX', 'MD', 'NC'],
    name: 'Lunes siguiente a Todos los Santos',
    provisional: false,
  },

  ...national(2027, true, [
    ['01-01', 'Año Nuevo'], ['01-06', 'Epifanía del Señor'], ['03-26', 'Viernes Santo'], ['05-01', 'Fiesta del Trabajo'],
    ['08-15', 'Asunción de la Virgen'], ['10-12', 'Fiesta Nacional de España'], ['11-01', 'Todos los Santos'],
    ['12-06', 'Día de la Constitución'], ['12-08', 'Inmaculada Concepción'], ['12-25', 'Natividad del Señor'],
  ]),
  { date: '2027-03-25', scope: 'regional', regions: ALL_BUT('CT', 'VC'), name: 'Jueves Santo', provisional: true },
];
