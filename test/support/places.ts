/**
 * What the API answers, written out by hand, for the places of an applicant in Alcalá de Henares
 * (28005: the Comunidad de Madrid has no local-day data outside the capital) whose office sits in
 * Madrid (28079, local days known): the calendar endpoint and a filed procedure's deadline basis
 * show the same two places.
 */
export const ALCALA_APPLICANT_MADRID_OFFICE = [
  {
    role: 'applicant',
    region: 'MD',
    province: 'M',
    municipality: '28005',
    municipality_name: 'Alcalá de Henares',
    area: null,
    local_days_known: false,
  },
  {
    role: 'office',
    region: 'MD',
    province: 'M',
    municipality: '28079',
    municipality_name: 'Madrid',
    area: null,
    local_days_known: true,
  },
];
