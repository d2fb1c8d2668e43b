import { APPLICANT } from './forms';

/** A place in the Comunidad de Madrid as the API reports it. */
const madridRegionPlace = (
  role: string,
  municipality: string,
  municipality_name: string,
  local_days_known: boolean,
) => ({
  role,
  region: 'MD',
  province: 'M',
  municipality,
  municipality_name,
  area: null,
  local_days_known,
});

/**
 * What the API answers, written out by hand, for the places of an applicant in Alcalá de Henares
 * (28005: the Comunidad de Madrid has no local-day data outside the capital) whose office sits in
 * Madrid (28079, local days known): the calendar endpoint and a filed procedure's deadline basis
 * show the same two places.
 */
export const ALCALA_APPLICANT_MADRID_OFFICE = [
  madridRegionPlace('applicant', '28005', 'Alcalá de Henares', false),
  madridRegionPlace('office', '28079', 'Madrid', true),
];

/** The form's applicant living in Alcalá de Henares (28005), whose local days are not known. */
export const ALCALA_APPLICANT = {
  ...APPLICANT,
  address: {
    ...APPLICANT.address,
    street: 'Calle Mayor 1',
    postal_code: '28801',
    municipality: 'Alcalá de Henares',
    municipality_code: '28005',
  },
};
