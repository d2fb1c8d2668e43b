// The whole flow in the sandbox: ask for a delegation, accept it as the citizen would, file a
// retirement pension (JUB) with its documents, let the sandbox caseworker handle it, print the
// timeline and save the filing receipt.  npm run example:quickstart
import { mkdirSync, writeFileSync } from 'node:fs';

import { toFile } from '@puente/sdk';

import { connect, samplePdf } from './connect';

const puente = await connect();

const request = await puente.delegationRequests.create({
  citizen: { id_number: '11111111H', name: 'Carmen López García', contact: 'carmen.lopez@example.es' },
  scope: { procedure_types: ['JUB'], subjects: [], capacities: ['consult', 'file', 'respond'] },
  valid_until: '2027-12-31',
  message: 'Para tramitar su pensión de jubilación.',
});
console.log(
  `Delegation request ${request.id} (code ${request.code}); the citizen would approve at ${request.approval_url}`,
);

const accepted = await puente.sandbox.acceptDelegationRequest(request.id);
console.log(`Accepted in the sandbox: delegation ${accepted.delegation_id}`);

// A client scoped to this citizen: it mints and renews consent tokens by itself.
const carmen = puente.forClient(accepted.delegation_id!);
const draft = await carmen.procedures.create({
  type: 'JUB',
  form: {
    applicant: {
      contact: { email: 'carmen.lopez@example.es' },
      address: {
        street: 'Calle de Colón 12, 3º',
        postal_code: '46004',
        municipality: 'València',
        municipality_code: '46250',
        province: 'Valencia',
        region: 'VC',
      },
      iban: 'ES6000491500051234567892',
    },
    regime: 'general',
    modality: 'ordinaria',
    requested_start_date: '2027-01-01',
  },
});
for (const kind of ['DNI_NIE', 'IBAN_CERT'] as const) {
  await carmen.procedures.documents.upload(draft.id, {
    kind,
    file: await toFile(samplePdf(kind), `${kind.toLowerCase()}.pdf`),
  });
}
const submitted = await carmen.procedures.submit(draft.id);
console.log(
  `Filed ${submitted.registry_entry_number}; the INSS must resolve by ${submitted.deadlines.max_resolution_date}`,
);

await puente.sandbox.advanceProcedure(draft.id, { action: 'admit' });
const required = await puente.sandbox.advanceProcedure(draft.id, {
  action: 'require',
  kinds: ['COMPANY_CERT'],
  message: 'Aporte el certificado de empresa.',
});
const requirement = required.requirements.at(-1)!;
// The term to answer runs from the day after its notification is opened (Ley 39/2015, art. 43.2): open it, then read the date.
await carmen.procedures.notifications.open(draft.id, required.deadlines.awaiting_notification!.notification_id);
const notified = await carmen.procedures.retrieve(draft.id);
console.log(`Requirement ${requirement.id} opened: answer by ${notified.deadlines.requirement_deadline}`);
await carmen.procedures.documents.upload(draft.id, {
  kind: 'COMPANY_CERT',
  file: await toFile(samplePdf('certificado'), 'certificado-empresa.pdf'),
});
await carmen.procedures.requirements.respond(draft.id, requirement.id, {
  message: 'Adjuntamos el certificado de empresa.',
});
const resolved = await puente.sandbox.advanceProcedure(draft.id, { action: 'approve', amount: 1456.32 });
// The resolution is notified like the requirement: its text and amount are shown once the
// notification is opened (the legal access), and read under the client's consent (and logged).
await carmen.procedures.notifications.open(draft.id, resolved.resolution!.notification_id!);
const approved = await carmen.procedures.retrieve(draft.id);
console.log(`Resolution: ${approved.resolution?.outcome} (${approved.resolution?.amount} €/month)`);

const timeline = await carmen.procedures.timeline(draft.id);
for (const entry of timeline.data)
  console.log(
    `  ${entry.occurred_at}  ${entry.action.padEnd(22)} ${entry.actor.type}${entry.actor.name ? ` (${entry.actor.name})` : ''}`,
  );

const receipt = await carmen.procedures.receipt(draft.id);
mkdirSync('examples/output', { recursive: true });
const file = `examples/output/justificante-${submitted.registry_entry_number}.pdf`;
writeFileSync(file, new Uint8Array(await receipt.arrayBuffer()));
console.log(`Receipt saved to ${file}`);
