import { z } from '@hono/zod-openapi';

import { pathIdField } from '../../http/fields';
import { pageSchema, paginationQuery } from '../../http/pagination';
import { NullableRegionSchema, RegionSchema } from '../calendar/schemas';
import { ManagingBodySchema } from '../catalog/schemas';
import { OrganizationSchema } from '../organizations/schemas';

export const OrganizationParams = z.object({
  id: pathIdField('id', 'org_4mT9sQ2xPz8LkV1bN7cW3d'),
});

export const ListOrganizationsQuery = z
  .object({ ...paginationQuery, status: z.enum(['pending_verification', 'verified', 'suspended']).optional() })
  .strict();
export const OrganizationPageSchema = pageSchema(OrganizationSchema, 'OrganizationList');

/**
 * The record every check by the platform administrator leaves: who checked, and what (`checked`
 * and `noted` describe them for the operation, `example` is the note's example).
 */
function checkRecord(checked: string, noted: string, example: string) {
  return {
    verified_by: z.string().min(2).max(200).openapi({ description: checked, example: 'ops@puente.es' }),
    note: z.string().min(5).max(2000).openapi({ description: noted, example }),
  };
}

const VERIFICATION_NOTE = 'Colegiación 2841 comprobada en el censo del Colegio de Gestores de Madrid.';
export const VerifyOrganizationBody = z
  .object(checkRecord('Who checked the evidence.', 'The evidence checked.', VERIFICATION_NOTE))
  .strict()
  .openapi('VerifyOrganizationRequest', { example: { verified_by: 'ops@puente.es', note: VERIFICATION_NOTE } });

const RECOVERY_NOTE = 'Solicitud firmada con certificado FNMT del titular; DNI coincide con el del propietario.';
export const IssueOwnerKeyBody = z
  .object({
    livemode: z
      .boolean()
      .optional()
      .openapi({ description: 'Default false. A live key needs a verified organisation.' }),
    ...checkRecord("Who checked the owner's identity.", 'What was checked, and how the owner asked.', RECOVERY_NOTE),
  })
  .strict()
  .openapi('IssueOwnerKeyRequest', {
    example: { livemode: true, verified_by: 'ops@puente.es', note: RECOVERY_NOTE },
  });

export const SuspendOrganizationBody = z
  .object({
    reason: z.string().min(5).max(2000).openapi({ example: 'Baja como ejerciente comunicada por el Colegio.' }),
  })
  .strict()
  .openapi('SuspendOrganizationRequest', { example: { reason: 'Baja como ejerciente comunicada por el Colegio.' } });

const REGION_SCOPE_DESCRIPTION =
  "The community whose procedures the key may see and act on (the applicant's, as on the procedure). Required for a regional body's key (`CCAA`), which decides only its own community's procedures; optional for the others, to limit an office to its community.";

export const CreateAgencyKeyBody = z
  .object({
    managing_body: ManagingBodySchema,
    office: z.string().min(2).max(200).openapi({ example: 'Dirección Provincial del INSS de Madrid' }),
    region: RegionSchema.optional().openapi({ description: REGION_SCOPE_DESCRIPTION }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.managing_body === 'CCAA' && !body.region)
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: "A regional body's key needs the community it decides for.",
      });
  })
  .openapi('CreateAgencyKeyRequest', {
    example: { managing_body: 'INSS', office: 'Dirección Provincial del INSS de Madrid' },
  });

const agencyKey = {
  id: z.string(),
  object: z.literal('agency_key'),
  managing_body: ManagingBodySchema,
  office: z.string(),
  region: NullableRegionSchema.openapi({ description: REGION_SCOPE_DESCRIPTION }),
  display_prefix: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
};

const AGENCY_KEY_EXAMPLE = {
  id: 'agk_5Jd8Qw1Rt4Yu7Io0Pa3SdF',
  object: 'agency_key',
  managing_body: 'INSS',
  office: 'Dirección Provincial del INSS de Madrid',
  region: null,
  display_prefix: 'ak_live_Qm4x…7Lp2',
  created_at: '2026-03-02T09:00:00.000Z',
  last_used_at: null,
  revoked_at: null,
};

export const AgencyKeySchema = z.object(agencyKey).openapi('AgencyKey', {
  description: 'A back-office key of a managing body. Its secret is shown only when it is issued.',
  example: AGENCY_KEY_EXAMPLE,
});

export const AgencyKeyWithSecretSchema = z
  .object({ ...agencyKey, secret: z.string().openapi({ description: 'Shown once.' }) })
  .openapi('AgencyKeyWithSecret', {
    example: { ...AGENCY_KEY_EXAMPLE, secret: 'ak_live_Qm4xR8tV2yB6nM0kJ4hG8fD2sA6pO0iU4yT8rE2w7Lp2' },
  });

export const AgencyKeyPageSchema = pageSchema(AgencyKeySchema, 'AgencyKeyList');

export const ListAgencyKeysQuery = z
  .object({ ...paginationQuery, managing_body: ManagingBodySchema.optional() })
  .strict();

export const AgencyKeyParams = z.object({
  id: pathIdField('id', 'agk_5Jd8Qw1Rt4Yu7Io0Pa3SdF'),
});
