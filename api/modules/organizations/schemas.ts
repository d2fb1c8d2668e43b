import { z } from '@hono/zod-openapi';

import { emailField, nifField, personalIdField } from '../../http/fields';

export const ORGANIZATION_KINDS = ['gestoria', 'law_firm', 'graduado_social', 'third_sector'] as const;

const ColegioStanding = z
  .object({
    colegio: z.string().min(3).max(200).openapi({ example: 'Colegio Oficial de Gestores Administrativos de Madrid' }),
    registration_number: z.string().min(1).max(40).openapi({ description: 'Número de colegiado.', example: '2841' }),
    practising: z.boolean().openapi({ description: 'Ejerciente: only practising professionals may represent.' }),
  })
  .strict()
  .openapi('ColegioStanding');

const ThirdSectorStanding = z
  .object({
    registry: z.string().min(3).max(200).openapi({ example: 'Registro Nacional de Asociaciones' }),
    registration_number: z.string().min(1).max(40).openapi({ example: '612345' }),
    statutes_allow_representation: z.literal(true).openapi({
      description: 'Declaration that the statutes allow the body to represent people (Ley 39/2015, art. 5). Mandatory.',
    }),
  })
  .strict()
  .openapi('ThirdSectorStanding');

export const OwnerInput = z
  .object({
    name: z.string().min(2).max(200).openapi({ example: 'Lucía Martínez Pardo' }),
    id_number: personalIdField(),
    email: emailField().optional(),
    colegio_number: z.string().min(1).max(40).optional().openapi({ example: '2841' }),
  })
  .strict();

const common = {
  legal_name: z.string().min(2).max(200).openapi({ example: 'Gestoría Martínez y Asociados S.L.' }),
  nif: nifField(),
  contact_email: emailField(),
  owner: OwnerInput,
};

export const RegisterOrganizationBody = z
  .discriminatedUnion('kind', [
    z
      .object({
        kind: z.enum(['gestoria', 'law_firm', 'graduado_social']),
        ...common,
        professional_standing: ColegioStanding,
      })
      .strict(),
    z.object({ kind: z.literal('third_sector'), ...common, professional_standing: ThirdSectorStanding }).strict(),
  ])
  .openapi('RegisterOrganizationRequest', {
    example: {
      legal_name: 'Gestoría Martínez y Asociados S.L.',
      nif: 'B00000000',
      kind: 'gestoria',
      professional_standing: {
        colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
        registration_number: '2841',
        practising: true,
      },
      contact_email: 'contacto@gestoriamartinez.es',
      owner: {
        name: 'Lucía Martínez Pardo',
        id_number: '12345678Z',
        email: 'lucia@gestoriamartinez.es',
        colegio_number: '2841',
      },
    },
  });
export type RegisterOrganizationInput = z.infer<typeof RegisterOrganizationBody>;

export const OrganizationSchema = z
  .object({
    id: z.string(),
    object: z.literal('organization'),
    legal_name: z.string(),
    nif: z.string(),
    kind: z.enum(ORGANIZATION_KINDS),
    status: z.enum(['pending_verification', 'verified', 'suspended']),
    professional_standing: z.object({
      colegio: z.string().nullable(),
      registry: z.string().nullable(),
      registration_number: z.string(),
      practising: z.boolean().nullable(),
      statutes_allow_representation: z.boolean().nullable(),
    }),
    contact_email: z.string(),
    verification: z.object({ verified_at: z.string(), verified_by: z.string(), note: z.string() }).nullable(),
    suspension: z.object({ suspended_at: z.string(), reason: z.string() }).nullable(),
    created_at: z.string(),
  })
  .openapi('Organization', {
    example: {
      id: 'org_4mT9sQ2xPz8LkV1bN7cW3d',
      object: 'organization',
      legal_name: 'Gestoría Martínez y Asociados S.L.',
      nif: 'B00000000',
      kind: 'gestoria',
      status: 'verified',
      professional_standing: {
        colegio: 'Colegio Oficial de Gestores Administrativos de Madrid',
        registry: null,
        registration_number: '2841',
        practising: true,
        statutes_allow_representation: null,
      },
      contact_email: 'contacto@gestoriamartinez.es',
      verification: {
        verified_at: '2026-03-03T10:15:00.000Z',
        verified_by: 'ops@puente.es',
        note: 'Colegiación comprobada en el censo del Colegio.',
      },
      suspension: null,
      created_at: '2026-03-02T09:00:00.000Z',
    },
  });
export type Organization = z.infer<typeof OrganizationSchema>;
