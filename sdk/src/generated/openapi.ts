// Generated from openapi/openapi.json by `npm run sdk:generate`. Do not edit.
/* eslint-disable */
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Process and database status
         * @description Answers 200 when the database answers, 503 otherwise. Needs no credential; meant for load balancers.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedure-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the procedure catalogue
         * @description Every benefit procedure Puente can file, with its required documents, legal maximum term and the confidence of each fact. Public.
         */
        get: operations["listProcedureTypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedure-types/{code}/form": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The application form of a type, as JSON Schema
         * @description JSON Schema (2020-12) of the complete `form` a procedure of this type needs at submission, so case software can render and pre-validate it.
         */
        get: operations["retrieveProcedureTypeForm"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedure-types/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve one procedure type
         * @description One entry of the catalogue: the procedure's legal basis, managing body, the documents it needs (always and by circumstance), its maximum resolution term and the effect of administrative silence.
         */
        get: operations["retrieveProcedureType"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendar/deadline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Compute an administrative deadline
         * @description Adds días hábiles (weekends and holidays skipped), months (date to date) or días naturales (every day counts) to a date; a last day that is not hábil rolls forward (Ley 39/2015, art. 30). Pass exactly one of `business_days`, `months` or `natural_days`. A day is inhábil when it is a holiday in the country, or in the community, island or territory, or municipality of the applicant or of the deciding office's seat (art. 30.6). The answer lists every day skipped with its reason and place, the places used, the weakest grade of the data behind it, and warnings whenever something is unknown or uncertain (no community given, a municipality without local data, a provisional year). A year without holiday data answers 422 `calendar_unavailable`.
         */
        get: operations["computeDeadline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/calendar/holidays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the holidays of a year that apply to a place
         * @description National days, then those of the community (without the ones its island or territory lifts), of the island or historical territory, and of the municipality, each with its source and confidence grade. A year without data answers 422 `calendar_unavailable`.
         */
        get: operations["listHolidays"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a representative organisation
         * @description Public sign-up. The organisation starts `pending_verification` and gets, once, a test-mode key to build its integration; live keys exist only after a platform administrator verifies it. Rate-limited per client address.
         */
        post: operations["registerOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve the caller's organisation
         * @description The representative organisation the API key belongs to: its NIF, verification state, and whether live mode is available.
         */
        get: operations["retrieveOrganization"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List members
         * @description The professionals registered in the organisation, oldest first (the order they were added), cursor-paginated. Filter by `status` to see active or removed members.
         */
        get: operations["listMembers"];
        put?: never;
        /**
         * Add a member
         * @description Adds a professional of the organisation. Needs the admin or owner role.
         */
        post: operations["createMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/members/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a member
         * @description One member of the organisation by id. Members of other organisations are answered as `not_found`.
         */
        get: operations["retrieveMember"];
        put?: never;
        post?: never;
        /**
         * Remove a member
         * @description The member can no longer act; every key bound to them is revoked at once. The record stays, for the audit trail. Needs a role above the member's: the owner removes admins, an admin removes agents and viewers.
         */
        delete: operations["deleteMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description Keys of both modes, without their secrets.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Answers the secret once; only its hash is kept. A live key (`livemode: true`) needs a verified organisation. Needs the admin or owner role; a key for another member (`member_id`) needs a role above theirs.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Takes effect on the very next request, on every instance. Revoking twice is harmless. Another member's key needs a role above theirs.
         */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegation-requests/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ask many citizens for a delegation at once
         * @description Up to 5000 rows, as a CSV file (the `file` part of multipart/form-data, or a text/csv body) or as JSON `{ rows: [...] }`. Answers at once with the batch; its rows are then processed in the background, each exactly as `POST /v1/delegation-requests` would (same checks, same duplicate rule), in order. A row whose citizen already has a pending request for the same scope (made before the batch or by an earlier row of the same batch) is counted as a duplicate and names that request. Poll the batch for progress, or wait for the `delegation_request_batch.completed` event; the outcome of each row is in its rows list. Send an `Idempotency-Key`: the same batch sent again with it answers the same batch. An organisation registered as a non-practising professional is refused with 403 `organization_not_practising` before any row is kept.
         */
        post: operations["createDelegationRequestBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegation-requests/batches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a batch of delegation requests
         * @description Progress (`done` of `total`, with `created`, `duplicates` and `failed`); the outcome of each row is in its rows list.
         */
        get: operations["retrieveDelegationRequestBatch"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegation-requests/batches/{id}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the rows of a batch and their outcomes
         * @description In row order: the request each row created, the pending request a duplicate row found, or the problem of a failed row with the field (and CSV column) at fault. Filter with `status=failed` to get only the rows to fix.
         */
        get: operations["listDelegationRequestBatchRows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegation-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List delegation requests
         * @description Requests the organisation has sent to citizens, oldest first (the order they were made), cursor-paginated; filter by `status` (pending, accepted, rejected, expired, cancelled).
         */
        get: operations["listDelegationRequests"];
        put?: never;
        /**
         * Ask a citizen for a delegation
         * @description The citizen gets an approval link and a short code; they sign in, see who asks and for what, and accept or reject. Expires if not answered (21 days by default), and at the latest when its `valid_until` day ends (Europe/Madrid): a request is never accepted into a delegation that has already ended. A pending request for the same citizen and scope answers 409 with its id. An organisation registered as a non-practising professional may not represent anyone, so its requests are refused with 403 `organization_not_practising`.
         */
        post: operations["createDelegationRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegation-requests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a delegation request
         * @description One delegation request with its status, the scope asked for, and the delegation it became once accepted.
         */
        get: operations["retrieveDelegationRequest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegation-requests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a pending delegation request
         * @description Withdraws a request the citizen has not answered yet. Only `pending` requests can be cancelled; otherwise 409 names the current state. Emits `delegation_request.cancelled`.
         */
        post: operations["cancelDelegationRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List delegations granted to the organisation
         * @description Powers citizens have granted to the organisation, oldest first (the order they were granted), cursor-paginated; filter by `status` to find those still active.
         */
        get: operations["listDelegations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a delegation
         * @description One delegation: the citizen, the scope (procedure types, subjects, capacities), its validity and, once ended, who ended it and when.
         */
        get: operations["retrieveDelegation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegations/{id}/renounce": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Renounce a delegation
         * @description The representative gives up the power; it ends at once.
         */
        post: operations["renounceDelegation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delegations/{id}/consent-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mint a consent token
         * @description A short-lived JWS (EdDSA, 10 minutes by default) proving the citizen's consent, to send as `Puente-Consent`. Every use is re-checked against the delegation in the database, so revocation takes effect on the very next request. Recorded in the citizen's access log.
         */
        post: operations["createConsentToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consent-tokens/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check the consent token you are sending
         * @description Runs exactly the check every operation on a client's data runs (token, organisation, mode, scope, and the delegation in the database) for a capacity and, optionally, a procedure type. Answers 200 when that action would be allowed. The check is recorded in the citizen's access log.
         */
        get: operations["checkConsentToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public keys that sign consent tokens
         * @description The current key and the previous one. Anyone holding them can verify, now or later, that a filing was made under a consent token Puente signed.
         */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consent-tokens/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Is this consent token usable now?
         * @description Checks the signature and claims and, in the database, the delegation behind it. Agency keys may introspect any token; an organisation only its own, of its key's mode (others answer `active: false`, with `consent_actor_mismatch` or `consent_mode_mismatch`).
         */
        post: operations["introspectConsentToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the organisation's procedures
         * @description Only procedures of clients the organisation still represents (an active delegation covering the type), and none while the organisation is registered as non-practising (no ejerciente), who may not represent anyone; most recently changed first. No consent token needed: each item is the procedure's state, legal dates and what it still needs, without its contents (the form, the resolution's text and amount, the requirements' messages and answers). Those are read with `retrieveProcedure` under the client's consent token, which the client's access log records.
         */
        get: operations["listProcedures"];
        put?: never;
        /**
         * Start a procedure (draft) for the client of the consent token
         * @description Needs the `file` capacity for the type. The form may be incomplete; submission checks it in full.
         */
        post: operations["createProcedure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a procedure
         * @description With its deadlines computed for today. An act notified electronically (a requirement, a resolution) shows its text once its notification has taken effect: until it is opened or deemed rejected, `content_withheld` is true. Answers an `ETag` to send as `If-Match` when updating.
         */
        get: operations["retrieveProcedure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Replace the form of a draft
         * @description Drafts only. Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else's change (412 if it moved). A form equal to the one the draft holds (whatever the order of its keys) writes nothing: it answers the procedure as it is, with its version and `ETag` unchanged, and adds nothing to its timeline.
         */
        patch: operations["updateProcedure"];
        trace?: never;
    };
    "/v1/procedures/{id}/submit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * File the procedure
         * @description Checks the complete form and every required document (422 listing what is missing, and nothing changes). Assigns the registry entry number, the registration day (the next working day when filed on a non-working one) and the legal maximum date for the applicant's community, and keeps the consent token that authorised it. A reclamación previa registered after its term (the contested procedure's `prior_claim_deadline`) is refused with 422 `out_of_time`, unless its form gives `late_filing_reason`.
         */
        post: operations["submitProcedure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Withdraw (desistimiento)
         * @description Needs the `withdraw` capacity, which the citizen must have granted explicitly.
         */
        post: operations["withdrawProcedure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every change of a procedure
         * @description The audit trail of one procedure, oldest first: every status change, document, requirement and resolution, with who acted and when. Needs a consent token.
         */
        get: operations["listProcedureTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/receipt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The filing receipt (justificante de presentación), as PDF
         * @description The justificante de presentación of a submitted procedure as a PDF, with the registry entry number and date. A draft has none yet (409 `invalid_state_transition`). Needs a consent token.
         */
        get: operations["retrieveProcedureReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/requirements/{requirement_id}/response": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer a requirement (or ask once for 5 more días hábiles)
         * @description Upload the required documents first (while the procedure is `action_required`); answering resumes the resolution clock. Needs the `respond` capacity.
         */
        post: operations["respondToRequirement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a procedure's documents
         * @description The documents uploaded to one procedure, with kind, file name, size and SHA-256 digest: all of them in one page (a procedure holds at most 50). Needs a consent token.
         */
        get: operations["listDocuments"];
        put?: never;
        /**
         * Attach a document
         * @description multipart/form-data with `kind` and `file`. PDF, PNG or JPEG only, recognised by content; the size cap depends on the procedure type; a procedure holds at most 50 documents (422 `unprocessable` past that). SHA-256 recorded. While a requirement is open (`action_required`) the document answers it and needs the `respond` capacity; otherwise it completes the filing and needs `file`. A procedure that moves to a state needing the other capacity during the upload is refused with `conflict`; send it again.
         */
        post: operations["uploadDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/documents/{document_id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a document's exact bytes
         * @description The exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. Needs a consent token.
         */
        get: operations["downloadDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The back-office queue
         * @description Live procedures the body of the key decides (`managing_body`), in its community if the key is limited to one, oldest filing first. Each procedure on the page is recorded in its citizen's access log as read by the key's body and office.
         */
        get: operations["agencyListProcedures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A procedure with its documents
         * @description For the managing body's caseworkers: a procedure the body decides, with its form and documents, to review it. Another body's procedure, or one outside the key's community, answers 404. The read is recorded in the citizen's access log, naming the key's body and office, before anything is answered. Answers an `ETag`: send it as `If-Match` with an act so that it is refused (412) if the procedure changed since you read it (a colleague's act, the representative's answer).
         */
        get: operations["agencyRetrieveProcedure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/documents/{document_id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a document's exact bytes
         * @description For the managing body's caseworkers reviewing a procedure it decides: the exact bytes of an uploaded document, with its content type and file name; their SHA-256 digest is the one listed. The download is recorded in the citizen's access log, naming the key's body and office.
         */
        get: operations["agencyDownloadDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/admit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Admit for review
         * @description Moves a submitted procedure into review (`in_review`). Emits `procedure.status_changed`; the maximum resolution term keeps running from registration.
         */
        post: operations["agencyAdmitProcedure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/requirements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a requerimiento de subsanación
         * @description The applicant has 10 días hábiles from notification (in their community) to cure it, extendable once by 5; the resolution clock is suspended meanwhile.
         */
        post: operations["agencyIssueRequirement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/withdrawal-declaration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Declare the application withdrawn (requirement unanswered)
         * @description Arts. 68.1 and 94: once the open requirement's term has passed unanswered, from the day after its deadline (409 `term_not_elapsed` before, with `earliest_on`). The declaration is notified to the representative.
         */
        post: operations["agencyDeclareWithdrawal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/lapse-warning": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Warn of caducidad (standstill caused by the applicant)
         * @description Art. 95.1: notified to the representative; three months (date to date) after it takes effect, the procedure may be declared lapsed unless the applicant acts. Only while a requirement is open (`action_required`): answering it, or asking for more time, is the act that ends the standstill; in review the applicant has nothing to answer (409 `invalid_state_transition`).
         */
        post: operations["agencyWarnLapse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/lapse-declaration": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Declare the procedure lapsed (caducidad)
         * @description Art. 95.1: from the day after the three months that follow the warning's notification (409 `term_not_elapsed` before); refused (409 `conflict`) with no warning, or if the representative acted since. The declaration is notified to the representative.
         */
        post: operations["agencyDeclareLapse"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agency/procedures/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve: approve, partially approve or deny
         * @description Records the decision (approved, partially approved or denied) with its text and, when granted, the amount. Emits `procedure.resolved` and `procedure.status_changed`.
         */
        post: operations["agencyResolveProcedure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The electronic notifications of a procedure
         * @description Every agency act that opens a term (requirement, resolution, declared withdrawal, lapse warning, declared lapse), oldest first. Listing does not open them: a notification takes effect when a member opens it, or when it is deemed rejected after 10 días naturales unopened (art. 43.2), and its term runs from the next day.
         */
        get: operations["listProcedureNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/notifications/{notification_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A notification, without opening it
         * @description Its state and dates; the content stays withheld until it takes effect: opened with `POST …/access`, or deemed rejected after 10 días naturales.
         */
        get: operations["retrieveProcedureNotification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/procedures/{id}/notifications/{notification_id}/access": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Open a notification (comparecencia)
         * @description Answers the notification with its content. The first opening is the legal access (art. 43.2): it is recorded with the member and in the citizen's access log, and the term it opens runs from the next day. Opening it again returns the same notification and changes no date. Needs the `consult` capacity.
         */
        post: operations["accessProcedureNotification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event feed
         * @description Every event of the last 30 days, oldest first: the source of truth for clients that poll. Keep the last `next_cursor` and pass it next time to get only what is new. An event about a client's procedure is listed only while the organisation holds a delegation that lets it consult that procedure (the rule of `GET /v1/procedures`): once the delegation ends (revoked, renounced, expired or suspended), or while the organisation is registered as non-practising, those events drop out, and none is sent to webhook endpoints. The end of the delegation itself is listed and sent.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve an event
         * @description One event by id: the body delivered to webhook endpoints (`id`, `type`, `timestamp`, `livemode`, `data`), with `object` and `created_at` besides. Events are kept for 30 days: an older one answers 404. An event about a client's procedure answers 404 once the organisation may no longer consult that procedure.
         */
        get: operations["retrieveEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook endpoints
         * @description The organisation's webhook endpoints, oldest first (the order they were created), cursor-paginated. Secrets are never shown again after creation.
         */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Add a webhook endpoint
         * @description Events are signed per Standard Webhooks with the returned `whsec_` secret. URLs must be https in production and resolve to public addresses.
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a webhook endpoint
         * @description One webhook endpoint: its URL, the event types it receives, whether it is enabled and why it was disabled, if it was. Answers an `ETag` to send as `If-Match` when updating.
         */
        get: operations["retrieveWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Removes a webhook endpoint: nothing more is delivered to it. Events stay available at `GET /v1/events`.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /**
         * Update a webhook endpoint
         * @description Change the URL, the event types, or enable it again after it was disabled (`enabled: true`). Enabling it sends nothing it missed: while it was disabled no delivery was queued for it, and those pending when it was disabled were given up (`failed` in its delivery log, where each can be retried). Read what it missed in the feed (`GET /v1/events`, oldest first): the events created at or after its `disabled_at`, which enabling clears. Send the `ETag` of your last read as `If-Match` to avoid overwriting someone else's change (412 if it moved). A change that changes nothing (an empty body, or only values the endpoint already has) writes nothing: it answers the endpoint as it is, with its version and `ETag` unchanged.
         */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description The secret replaced keeps signing beside the new one (a signature more in `webhook-signature`) for 24 hours, or as long as `previous_secret_valid_seconds` says; secrets rotated out earlier keep signing until their own end. At most 4 secrets rotated out sign at once: a rotation beyond that is refused (409 `conflict`) unless it passes `previous_secret_valid_seconds: 0`, which stops every earlier secret at once (a leaked secret).
         */
        post: operations["rotateWebhookEndpointSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event
         * @description Queues a `webhook_endpoint.test` event for this endpoint only; see its delivery in the log.
         */
        post: operations["testWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The delivery log
         * @description Newest first, with every attempt: status code, latency, error; the deliveries of the events of the last 30 days (older ones are deleted with their events). A delivery that may no longer be sent is given up unsent, `failed` with the reason as its attempt's error: `consent not in force` for an event about a client's procedure after the delegation ended or while the organisation is registered as non-practising, `organization suspended` while the organisation is suspended.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deliver again now
         * @description Queues a delivery again for immediate sending, for example after fixing the receiving endpoint. The new attempt appears in the delivery log. While a worker is sending the delivery, the answer is `409 conflict`: retry once that attempt is in the log. A delivery whose event is older than the 30 days events are kept answers 404.
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sandbox/procedures/{id}/advance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Play the caseworker on a test-mode procedure
         * @description Test keys only: `admit`, `require` (documents), `approve`, `partially_approve`, `deny`, `declare_withdrawal`, `warn_lapse` or `declare_lapse`, with the same rules and effects as the agency back office.
         */
        post: operations["sandboxAdvanceProcedure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sandbox/delegation-requests/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Play the citizen: accept a test-mode request
         * @description Test keys only. Creates the delegation exactly as a citizen's acceptance would, and is refused as it would be: an organisation registered as non-practising answers 403 `organization_not_practising`.
         */
        post: operations["sandboxAcceptDelegationRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sandbox/delegation-requests/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Play the citizen: reject a test-mode request
         * @description Test mode only: acts as the citizen and rejects a pending delegation request, as they would from their pages. Emits `delegation_request.rejected`.
         */
        post: operations["sandboxRejectDelegationRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/delegation-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Requests addressed to me
         * @description For the signed-in citizen: the delegation requests organisations have addressed to them, newest first, so they can accept or reject them.
         */
        get: operations["listMyDelegationRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/delegation-requests/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept a request: grant the delegation
         * @description For the signed-in citizen: accepts a pending request and grants the delegation with the scope asked for. Emits `delegation_request.accepted` to the organisation. A request whose scope includes `withdraw` (desisting from or renouncing applications on the citizen's behalf, which the law lets a representative do only with express consent) is accepted only with `{"confirm_withdraw": true}` in the body, the citizen's separate confirmation of that capacity; without it the answer is 422 `unprocessable` pointing at `/confirm_withdraw`, and nothing is granted. Other requests need no body. Refused with 403 `organization_not_practising` when the organisation is registered as a non-practising professional, who may not represent anyone.
         */
        post: operations["acceptMyDelegationRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/delegation-requests/{id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject a request
         * @description For the signed-in citizen: turns down a pending request; no delegation is created. Emits `delegation_request.rejected` to the organisation.
         */
        post: operations["rejectMyDelegationRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/delegations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delegations I have granted
         * @description For the signed-in citizen: every delegation they have granted, active or ended, with the organisation and scope, so they can review or revoke it.
         */
        get: operations["listMyDelegations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/delegations/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a delegation
         * @description Takes effect on the organisation's very next request: consent tokens minted before stop working at once.
         */
        post: operations["revokeMyDelegation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/procedures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Procedures filed or drafted in my name
         * @description By any representative, oldest first. A procedure stays in the list after its delegation is revoked or ends: it is the citizen's history.
         */
        get: operations["listMyProcedures"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/procedures/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of my procedures: timeline, documents, requirement, resolution and legal dates
         * @description Every date is a Europe/Madrid legal day computed by the same deadline code as the firms' `Procedure.deadlines`.
         */
        get: operations["retrieveMyProcedure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/procedures/{id}/documents/{document_id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a document of one of my procedures
         * @description The exact bytes stored. The download is recorded in the citizen's own access log (`actor: citizen`).
         */
        get: operations["downloadMyDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/procedures/{id}/receipt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The filing receipt of one of my procedures, as PDF
         * @description The same justificante the representative gets; the download is recorded in the citizen's access log.
         */
        get: operations["retrieveMyProcedureReceipt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/procedures/{id}/timeline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The timeline of one of my procedures
         * @description For the signed-in citizen: the full history of one of their procedures, as the organisation sees it.
         */
        get: operations["listMyProcedureTimeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/access-log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every access made on my behalf
         * @description Append-only: who (organisation and member, or the citizen themself for their own downloads) did what, when, under which delegation. Newest first. Filter by delegation and by a period of Europe/Madrid days (`from` and `to`, both included).
         */
        get: operations["listMyAccessLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/access-log/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export a page of my access log as CSV or PDF
         * @description Takes the same filter and window (`delegation_id`, `from`, `to`, `cursor`, `limit`) as `GET /v1/me/access-log` and lists exactly the entries that list answers, in the same order.
         */
        get: operations["exportMyAccessLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/avisos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Avisos sent to me
         * @description For the signed-in citizen: every aviso Puente queued for them (email or SMS), newest first, with each delivery attempt and its outcome.
         */
        get: operations["listMyAvisos"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/aviso-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My aviso settings
         * @description Contacts (confirmed, and any waiting for their code), channels, language and the kinds of aviso wanted.
         */
        get: operations["getMyAvisoSettings"];
        /**
         * Choose channels, language and kinds
         * @description Replaces the channels, language and kinds of aviso wanted. A kind left out is not sent again, also if already queued.
         */
        put: operations["updateMyAvisoSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/aviso-settings/contacts/{channel}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set my email or phone (sends a code)
         * @description Sends a six-digit code to the address or number; it becomes the citizen’s contact once the code is confirmed (15 minutes, 5 tries). At most 5 codes an hour.
         */
        post: operations["startMyContactConfirmation"];
        /**
         * Remove my email or phone
         * @description Forgets the confirmed contact and any code waiting on that channel; no aviso goes there again.
         */
        delete: operations["removeMyContact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/aviso-settings/contacts/{channel}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm my email or phone with its code
         * @description Checks the code sent to the contact waiting for it; right, that contact receives the avisos from now on. Each wrong code counts: the fifth ends it.
         */
        post: operations["confirmMyContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Create or replace a year's calendar and its national days
         * @description A year exists for deadlines only once it has its national days: this sets them, with the year's source, grade and `provisional` flag (false once the BOE resolution is out). Recorded with the reason; the stored dates of dependent procedures are recomputed and each organisation concerned gets a `calendar.holidays_changed` event.
         */
        put: operations["adminReplaceCalendarYear"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}/regions/{region}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace the days of a year for a community
         * @description Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.
         */
        put: operations["adminReplaceRegionHolidays"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}/regions/{region}/days": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add days of a year for a community
         * @description Adds the days sent; a date that already has a day there answers 409 (replace the set instead).
         */
        post: operations["adminAddRegionHolidays"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}/areas/{area}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace the days of a year for an island or territory
         * @description Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.
         */
        put: operations["adminReplaceAreaHolidays"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}/areas/{area}/days": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add days of a year for an island or territory
         * @description Adds the days sent; a date that already has a day there answers 409 (replace the set instead).
         */
        post: operations["adminAddAreaHolidays"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}/municipalities/{municipality}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Replace the days of a year for a municipality
         * @description Every day of that year for that place is replaced by the list sent (an empty list removes them). Recorded with the reason and what was there before; dependent procedures recomputed.
         */
        put: operations["adminReplaceMunicipalityHolidays"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/years/{year}/municipalities/{municipality}/days": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add days of a year for a municipality
         * @description Adds the days sent; a date that already has a day there answers 409 (replace the set instead).
         */
        post: operations["adminAddMunicipalityHolidays"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every change made to the calendar, newest first
         * @description The record of every calendar change: who made it, why, the days before and after, and how many procedures had their stored dates recomputed. Cursor-paginated.
         */
        get: operations["adminListCalendarChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/calendar/changes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a calendar change
         * @description One recorded calendar change with its reason, the days before and after, the calendar version it produced and the number of procedures recomputed.
         */
        get: operations["adminRetrieveCalendarChange"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List organisations (platform administration)
         * @description Platform administration: every registered organisation with its verification and suspension state, cursor-paginated.
         */
        get: operations["adminListOrganizations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an organisation
         * @description Records who checked which evidence, and when. Live keys become available. An organisation registered as non-practising (`professional_standing.practising: false`) cannot be verified: 422 `unprocessable` pointing at that field.
         */
        post: operations["adminVerifyOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend an organisation
         * @description Every key of the organisation answers 403 `organization_suspended` from the next request on, and its delegations are suspended. Its pending delegation requests are cancelled with it (`ended_by: system`), each announced as `delegation_request.cancelled`, so no citizen is left asked to grant it a delegation.
         */
        post: operations["adminSuspendOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{id}/reinstate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reinstate a suspended organisation
         * @description Keys work again. Suspended delegations stay suspended: citizens must grant them again.
         */
        post: operations["adminReinstateOrganization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/signing-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the consent-token signing key
         * @description New tokens are signed with a new Ed25519 key at once (other instances within a minute). The previous key stays published in the JWKS, so tokens already issued still verify.
         */
        post: operations["adminRotateSigningKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/organizations/{id}/owner-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Issue a key for an organisation's owner who lost every key
         * @description Platform administration: keys are otherwise issued only with a key, so an owner who revoked or lost all of theirs cannot get back in. After checking the owner's identity, the administrator issues a key acting as the owner; `verified_by` and `note` are kept on the key, which the organisation sees in its list (`issued_by_platform`). The secret is shown once in the response. A live key needs a verified organisation.
         */
        post: operations["adminIssueOwnerKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/agency-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List agency back-office keys
         * @description Platform administration: every back-office key, revoked ones included, oldest first, cursor-paginated.
         */
        get: operations["adminListAgencyKeys"];
        put?: never;
        /**
         * Issue an agency back-office key
         * @description Platform administration: issues a back-office key for a managing body (`ak_live_…`). The key sees and acts on the procedures that body decides (`managing_body` on the procedure), in `region` when it is given; a regional body's (`CCAA`) key must name its community. The secret is shown once in the response.
         */
        post: operations["adminCreateAgencyKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/agency-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an agency back-office key
         * @description Takes effect on the very next request, on every instance: the key answers 401 from then on. Revoking twice is harmless. The acts the key made keep naming it in the procedures' timelines.
         */
        delete: operations["adminRevokeAgencyKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "delegation_request.accepted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation_request.accepted
         * @description The citizen accepted a delegation request; the delegation now exists. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRequestAcceptedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation_request.rejected": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation_request.rejected
         * @description The citizen rejected a delegation request. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRequestRejectedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation_request.expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation_request.expired
         * @description A delegation request reached its expiry unanswered. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRequestExpiredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation_request.cancelled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation_request.cancelled
         * @description A pending delegation request was cancelled: by the organisation, or by the platform when it suspended the organisation (the request then shows `ended_by: system`). Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRequestCancelledWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation.revoked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation.revoked
         * @description The citizen revoked a delegation; its consent tokens stop working at once. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRevokedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation.renounced": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation.renounced
         * @description The organisation renounced a delegation. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRenouncedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation.expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation.expired
         * @description A delegation reached its `valid_until` date. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationExpiredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation.suspended": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation.suspended
         * @description A delegation was suspended with its organisation. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationSuspendedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.submitted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.submitted
         * @description A procedure was filed: it has a registry entry and a maximum resolution date. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureSubmittedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.status_changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.status_changed
         * @description A procedure moved from one status to another. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureStatusChangedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.requirement_issued": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.requirement_issued
         * @description The managing body asked for documents. The requirement is a notification: its term of 10 días hábiles runs from the day after it is opened or counts as rejected, so the deadline is not known yet. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureRequirementIssuedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.requirement_extended": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.requirement_extended
         * @description The representative asked for the extension of 5 días hábiles (art. 68.2 LPAC), before the term ended: the requirement has its new deadline. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureRequirementExtendedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.requirement_deadline_approaching": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.requirement_deadline_approaching
         * @description An open requirement's deadline is a few business days away. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureRequirementDeadlineApproachingWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.resolved": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.resolved
         * @description The managing body resolved a procedure. The resolution's text and amount are the client's contents: read them with the procedure, under the client's consent, once its notification (`resolution.notification_id`) has been opened or deemed rejected. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureResolvedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.presumed_denied": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.presumed_denied
         * @description The maximum resolution term passed without a decision (silencio administrativo). Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedurePresumedDeniedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook_endpoint.test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * webhook_endpoint.test
         * @description A test event sent to one endpoint on request. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["webhookEndpointTestWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "calendar.holidays_changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * calendar.holidays_changed
         * @description The published calendar changed (a holiday added, replaced or lifted) and the stored dates of these procedures were recomputed; each has a timeline entry. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["calendarHolidaysChangedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "delegation_request_batch.completed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * delegation_request_batch.completed
         * @description Every row of a batch of delegation requests was processed; each row's outcome is in the batch's rows list. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["delegationRequestBatchCompletedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "notification.available": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * notification.available
         * @description The managing body made an act available to the organisation as the representative (art. 43.1 LPAC); opening it starts its term. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["notificationAvailableWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "notification.accessed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * notification.accessed
         * @description A member opened an act made available by the managing body; its term runs from the next day. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["notificationAccessedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "notification.deemed_rejected": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * notification.deemed_rejected
         * @description Ten días naturales passed without the act being opened: it counts as rejected and the procedure goes on (art. 43.2 LPAC). Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["notificationDeemedRejectedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "notification.deemed_rejection_approaching": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * notification.deemed_rejection_approaching
         * @description An act is still unopened and counts as rejected in a few days. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["notificationDeemedRejectionApproachingWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "requirement.expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * requirement.expired
         * @description A requirement's term passed unanswered; from the day after, the managing body may declare the application withdrawn. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["requirementExpiredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.withdrawal_declared": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.withdrawal_declared
         * @description The managing body declared the application withdrawn after a requirement went unanswered (arts. 68.1 and 94 LPAC); the declaration is a new notification. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureWithdrawalDeclaredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.lapse_warned": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.lapse_warned
         * @description The managing body warned that the procedure lapses in three months unless the applicant acts (art. 95.1 LPAC); the warning is a notification. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureLapseWarnedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "procedure.lapsed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * procedure.lapsed
         * @description The managing body declared the procedure lapsed (caducidad, art. 95.1 LPAC) after the warning's three months passed; the declaration is a notification. Signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`); answer 2xx within 15 s, or it is retried with backoff. Deliveries come at least once and in no guaranteed order: several go to one endpoint at once and each retry is scheduled on its own, so a later event can arrive before an earlier one. Deduplicate on the event `id` (also `webhook-id`), do not rely on the order, and for the current state re-read the resource the event names, or walk the feed (`GET /v1/events`), which is in commit order.
         */
        post: operations["procedureLapsedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /**
         * @description The citizen accepted a delegation request; the delegation now exists.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation_request.accepted",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
         *         "status": "accepted",
         *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9"
         *       }
         *     }
         */
        DelegationRequestAcceptedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation_request.accepted";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation request (`dlr_…`).
                 * @example dlr_7Qw9Er1Ty3Ui5Op7As9Df1
                 */
                delegation_request_id: string;
                /** @enum {string} */
                status: "accepted";
                /**
                 * @description The delegation (`dlg_…`).
                 * @example dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9
                 */
                delegation_id: string;
            };
        };
        /**
         * @description The citizen rejected a delegation request.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation_request.rejected",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
         *         "status": "rejected"
         *       }
         *     }
         */
        DelegationRequestRejectedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation_request.rejected";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation request (`dlr_…`).
                 * @example dlr_7Qw9Er1Ty3Ui5Op7As9Df1
                 */
                delegation_request_id: string;
                /** @enum {string} */
                status: "rejected";
            };
        };
        /**
         * @description A delegation request reached its expiry unanswered.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation_request.expired",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
         *         "status": "expired"
         *       }
         *     }
         */
        DelegationRequestExpiredEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation_request.expired";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation request (`dlr_…`).
                 * @example dlr_7Qw9Er1Ty3Ui5Op7As9Df1
                 */
                delegation_request_id: string;
                /** @enum {string} */
                status: "expired";
            };
        };
        /**
         * @description A pending delegation request was cancelled: by the organisation, or by the platform when it suspended the organisation (the request then shows `ended_by: system`).
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation_request.cancelled",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
         *         "status": "cancelled"
         *       }
         *     }
         */
        DelegationRequestCancelledEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation_request.cancelled";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation request (`dlr_…`).
                 * @example dlr_7Qw9Er1Ty3Ui5Op7As9Df1
                 */
                delegation_request_id: string;
                /** @enum {string} */
                status: "cancelled";
            };
        };
        /**
         * @description The citizen revoked a delegation; its consent tokens stop working at once.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation.revoked",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
         *         "status": "revoked",
         *         "ended_by": "citizen"
         *       }
         *     }
         */
        DelegationRevokedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation.revoked";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation (`dlg_…`).
                 * @example dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9
                 */
                delegation_id: string;
                /** @enum {string} */
                status: "revoked";
                /**
                 * @description Who or what ended it.
                 * @enum {string}
                 */
                ended_by: "citizen";
            };
        };
        /**
         * @description The organisation renounced a delegation.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation.renounced",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
         *         "status": "renounced",
         *         "ended_by": "organization"
         *       }
         *     }
         */
        DelegationRenouncedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation.renounced";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation (`dlg_…`).
                 * @example dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9
                 */
                delegation_id: string;
                /** @enum {string} */
                status: "renounced";
                /**
                 * @description Who or what ended it.
                 * @enum {string}
                 */
                ended_by: "organization";
            };
        };
        /**
         * @description A delegation reached its `valid_until` date.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation.expired",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
         *         "status": "expired",
         *         "ended_by": "expiry"
         *       }
         *     }
         */
        DelegationExpiredEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation.expired";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation (`dlg_…`).
                 * @example dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9
                 */
                delegation_id: string;
                /** @enum {string} */
                status: "expired";
                /**
                 * @description Who or what ended it.
                 * @enum {string}
                 */
                ended_by: "expiry";
            };
        };
        /**
         * @description A delegation was suspended with its organisation.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation.suspended",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
         *         "status": "suspended",
         *         "ended_by": "platform"
         *       }
         *     }
         */
        DelegationSuspendedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation.suspended";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The delegation (`dlg_…`).
                 * @example dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9
                 */
                delegation_id: string;
                /** @enum {string} */
                status: "suspended";
                /**
                 * @description Who or what ended it.
                 * @enum {string}
                 */
                ended_by: "platform";
            };
        };
        /**
         * @description A procedure was filed: it has a registry entry and a maximum resolution date.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.submitted",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "submitted",
         *         "registry_entry_number": "REG-2026-000123",
         *         "max_resolution_date": "2026-06-02"
         *       }
         *     }
         */
        ProcedureSubmittedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.submitted";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "submitted";
                /** @example REG-2026-000123 */
                registry_entry_number: string;
                /**
                 * @description A date, `YYYY-MM-DD` (Europe/Madrid).
                 * @example 2026-04-14
                 */
                max_resolution_date: string;
            };
        };
        /**
         * @description A procedure moved from one status to another.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.status_changed",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "previous_status": "in_review",
         *         "status": "action_required",
         *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7"
         *       }
         *     }
         */
        ProcedureStatusChangedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.status_changed";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                previous_status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /**
                 * @description When the change is a requirement being issued.
                 * @example req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7
                 */
                requirement_id?: string;
            };
        };
        /**
         * @description The managing body asked for documents. The requirement is a notification: its term of 10 días hábiles runs from the day after it is opened or counts as rejected, so the deadline is not known yet.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.requirement_issued",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "action_required",
         *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
         *         "kinds": [
         *           "COMPANY_CERT"
         *         ],
         *         "deadline": null,
         *         "term_starts": "on_access_or_deemed_rejection",
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8"
         *       }
         *     }
         */
        ProcedureRequirementIssuedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.requirement_issued";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "action_required";
                /** @example req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7 */
                requirement_id: string;
                kinds: components["schemas"]["DocumentKind"][];
                /** @description Not known when issued: `notification.accessed` (or `notification.deemed_rejected`) carries it as `term_deadline`. */
                deadline: null;
                /** @enum {string} */
                term_starts: "on_access_or_deemed_rejection";
                /**
                 * @description The notification that carries the requirement.
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
            };
        };
        /** @enum {string} */
        DocumentKind: "DNI_NIE" | "IBAN_CERT" | "LIBRO_FAMILIA" | "BIRTH_CERT" | "DEATH_CERT" | "MARRIAGE_CERT" | "PARTNERSHIP_CERT" | "EMPADRONAMIENTO" | "MEDICAL_REPORT" | "COMPANY_CERT" | "QUOTA_PROOF" | "RESIDENCE_PROOF" | "INCOME_PROOF" | "DISABILITY_RESOLUTION" | "COURT_RULING" | "FUNERAL_INVOICE" | "REPRESENTATION_PROOF" | "OTHER";
        /**
         * @description The representative asked for the extension of 5 días hábiles (art. 68.2 LPAC), before the term ended: the requirement has its new deadline.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.requirement_extended",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "action_required",
         *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
         *         "deadline": "2026-03-31"
         *       }
         *     }
         */
        ProcedureRequirementExtendedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.requirement_extended";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /** @example req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7 */
                requirement_id: string;
                /**
                 * @description The requirement's new deadline (15 días hábiles from the day after its notification took effect); null only for a requirement recorded without a notification.
                 * @example 2026-04-14
                 */
                deadline: string | null;
            };
        };
        /**
         * @description An open requirement's deadline is a few business days away.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.requirement_deadline_approaching",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "action_required",
         *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
         *         "deadline": "2026-03-24"
         *       }
         *     }
         */
        ProcedureRequirementDeadlineApproachingEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.requirement_deadline_approaching";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /** @example req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7 */
                requirement_id: string;
                /**
                 * @description A date, `YYYY-MM-DD` (Europe/Madrid).
                 * @example 2026-04-14
                 */
                deadline: string;
            };
        };
        /**
         * @description The managing body resolved a procedure. The resolution's text and amount are the client's contents: read them with the procedure, under the client's consent, once its notification (`resolution.notification_id`) has been opened or deemed rejected.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.resolved",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "approved",
         *         "outcome": "approved"
         *       }
         *     }
         */
        ProcedureResolvedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.resolved";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /** @enum {string} */
                outcome: "approved" | "partially_approved" | "denied";
            };
        };
        /**
         * @description The maximum resolution term passed without a decision (silencio administrativo).
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.presumed_denied",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "in_review",
         *         "presumed_denied_at": "2026-06-03",
         *         "prior_claim_deadline": "2026-07-15"
         *       }
         *     }
         */
        ProcedurePresumedDeniedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.presumed_denied";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /**
                 * @description A date, `YYYY-MM-DD` (Europe/Madrid).
                 * @example 2026-04-14
                 */
                presumed_denied_at: string;
                /**
                 * @description Last day to file a reclamación previa; null for an `RP` (its denial goes to court) or when a year it reaches has no holiday data.
                 * @example 2026-04-14
                 */
                prior_claim_deadline: string | null;
            };
        };
        /**
         * @description A test event sent to one endpoint on request.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "webhook_endpoint.test",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "webhook_endpoint_id": "whe_2Bn4Mq6Wr8Ty0Ui2Op4As6"
         *       }
         *     }
         */
        WebhookEndpointTestEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "webhook_endpoint.test";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /** @example whe_2Bn4Mq6Wr8Ty0Ui2Op4As6 */
                webhook_endpoint_id: string;
            };
        };
        /**
         * @description The published calendar changed (a holiday added, replaced or lifted) and the stored dates of these procedures were recomputed; each has a timeline entry.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "calendar.holidays_changed",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "calendar_change_id": "cch_8Kl0Zx2Cv4Bn6Mq8Wr0Ty2",
         *         "year": 2026,
         *         "scope": "municipality",
         *         "code": "28079",
         *         "procedure_ids": [
         *           "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0"
         *         ]
         *       }
         *     }
         */
        CalendarHolidaysChangedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "calendar.holidays_changed";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The recorded change (`cch_…`), with who, why and the days before and after.
                 * @example cch_8Kl0Zx2Cv4Bn6Mq8Wr0Ty2
                 */
                calendar_change_id: string;
                /** @example 2026 */
                year: number;
                /**
                 * @description Which calendar changed.
                 * @enum {string}
                 */
                scope: "national" | "region" | "area" | "municipality";
                /**
                 * @description The place: region code, island or territory code, or INE municipality code; null for national days.
                 * @example 28079
                 */
                code: string | null;
                /** @description This organisation's procedures whose stored dates moved, of those it still follows when the event is read or sent (a client whose delegation ended since drops out; with none left, the event is not listed). */
                procedure_ids: string[];
            };
        };
        /**
         * @description Every row of a batch of delegation requests was processed; each row's outcome is in the batch's rows list.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "delegation_request_batch.completed",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "delegation_request_batch_id": "dlb_3vN8kQ2mXp7LwR4tZ9cB1d",
         *         "status": "completed",
         *         "total": 1000,
         *         "created": 950,
         *         "duplicates": 30,
         *         "failed": 20
         *       }
         *     }
         */
        DelegationRequestBatchCompletedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "delegation_request_batch.completed";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The batch (`dlb_…`).
                 * @example dlb_3vN8kQ2mXp7LwR4tZ9cB1d
                 */
                delegation_request_batch_id: string;
                /** @enum {string} */
                status: "completed";
                total: number;
                created: number;
                duplicates: number;
                failed: number;
            };
        };
        /**
         * @description The managing body made an act available to the organisation as the representative (art. 43.1 LPAC); opening it starts its term.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "notification.available",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "kind": "requirement",
         *         "made_available_at": "2026-03-10T09:00:00.000Z",
         *         "deemed_rejected_on": "2026-03-20",
         *         "term_deadline": null
         *       }
         *     }
         */
        NotificationAvailableEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "notification.available";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /**
                 * @description What the act is: `requirement`, `resolution`, `withdrawal_declaration`, `lapse_warning` or `lapse_declaration`.
                 * @example requirement
                 */
                kind: string;
                /**
                 * @description When the agency made it available, ISO 8601 UTC.
                 * @example 2026-03-10T09:00:00.000Z
                 */
                made_available_at: string;
                /**
                 * @description The day it counts as rejected if still unopened (art. 43.2 LPAC, 10 días naturales); null when that year's calendar is not known.
                 * @example 2026-04-14
                 */
                deemed_rejected_on: string | null;
                /**
                 * @description The last day of the term the act opens, when it opens one and it is known.
                 * @example 2026-04-14
                 */
                term_deadline: string | null;
            };
        };
        /**
         * @description A member opened an act made available by the managing body; its term runs from the next day.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "notification.accessed",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "kind": "requirement",
         *         "made_available_at": "2026-03-10T09:00:00.000Z",
         *         "deemed_rejected_on": "2026-03-20",
         *         "term_deadline": null
         *       }
         *     }
         */
        NotificationAccessedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "notification.accessed";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /**
                 * @description What the act is: `requirement`, `resolution`, `withdrawal_declaration`, `lapse_warning` or `lapse_declaration`.
                 * @example requirement
                 */
                kind: string;
                /**
                 * @description When the agency made it available, ISO 8601 UTC.
                 * @example 2026-03-10T09:00:00.000Z
                 */
                made_available_at: string;
                /**
                 * @description The day it counts as rejected if still unopened (art. 43.2 LPAC, 10 días naturales); null when that year's calendar is not known.
                 * @example 2026-04-14
                 */
                deemed_rejected_on: string | null;
                /**
                 * @description The last day of the term the act opens, when it opens one and it is known.
                 * @example 2026-04-14
                 */
                term_deadline: string | null;
            };
        };
        /**
         * @description Ten días naturales passed without the act being opened: it counts as rejected and the procedure goes on (art. 43.2 LPAC).
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "notification.deemed_rejected",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "kind": "requirement",
         *         "made_available_at": "2026-03-10T09:00:00.000Z",
         *         "deemed_rejected_on": "2026-03-20",
         *         "term_deadline": null
         *       }
         *     }
         */
        NotificationDeemedRejectedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "notification.deemed_rejected";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /**
                 * @description What the act is: `requirement`, `resolution`, `withdrawal_declaration`, `lapse_warning` or `lapse_declaration`.
                 * @example requirement
                 */
                kind: string;
                /**
                 * @description When the agency made it available, ISO 8601 UTC.
                 * @example 2026-03-10T09:00:00.000Z
                 */
                made_available_at: string;
                /**
                 * @description The day it counts as rejected if still unopened (art. 43.2 LPAC, 10 días naturales); null when that year's calendar is not known.
                 * @example 2026-04-14
                 */
                deemed_rejected_on: string | null;
                /**
                 * @description The last day of the term the act opens, when it opens one and it is known.
                 * @example 2026-04-14
                 */
                term_deadline: string | null;
            };
        };
        /**
         * @description An act is still unopened and counts as rejected in a few days.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "notification.deemed_rejection_approaching",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "kind": "requirement",
         *         "made_available_at": "2026-03-10T09:00:00.000Z",
         *         "deemed_rejected_on": "2026-03-20",
         *         "term_deadline": null
         *       }
         *     }
         */
        NotificationDeemedRejectionApproachingEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "notification.deemed_rejection_approaching";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /**
                 * @description What the act is: `requirement`, `resolution`, `withdrawal_declaration`, `lapse_warning` or `lapse_declaration`.
                 * @example requirement
                 */
                kind: string;
                /**
                 * @description When the agency made it available, ISO 8601 UTC.
                 * @example 2026-03-10T09:00:00.000Z
                 */
                made_available_at: string;
                /**
                 * @description The day it counts as rejected if still unopened (art. 43.2 LPAC, 10 días naturales); null when that year's calendar is not known.
                 * @example 2026-04-14
                 */
                deemed_rejected_on: string | null;
                /**
                 * @description The last day of the term the act opens, when it opens one and it is known.
                 * @example 2026-04-14
                 */
                term_deadline: string | null;
            };
        };
        /**
         * @description A requirement's term passed unanswered; from the day after, the managing body may declare the application withdrawn.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "requirement.expired",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "action_required",
         *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
         *         "deadline": "2026-03-24",
         *         "withdrawal_declarable_from": "2026-03-25"
         *       }
         *     }
         */
        RequirementExpiredEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "requirement.expired";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /** @example req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7 */
                requirement_id: string;
                /**
                 * @description A date, `YYYY-MM-DD` (Europe/Madrid).
                 * @example 2026-04-14
                 */
                deadline: string;
                /**
                 * @description The first day the withdrawal may be declared: the day after the deadline.
                 * @example 2026-04-14
                 */
                withdrawal_declarable_from: string;
            };
        };
        /**
         * @description The managing body declared the application withdrawn after a requirement went unanswered (arts. 68.1 and 94 LPAC); the declaration is a new notification.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.withdrawal_declared",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "withdrawn",
         *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
         *         "requirement_deadline": "2026-03-24",
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8"
         *       }
         *     }
         */
        ProcedureWithdrawalDeclaredEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.withdrawal_declared";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "withdrawn";
                /** @example req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7 */
                requirement_id: string;
                /**
                 * @description A date, `YYYY-MM-DD` (Europe/Madrid).
                 * @example 2026-04-14
                 */
                requirement_deadline: string;
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
            };
        };
        /**
         * @description The managing body warned that the procedure lapses in three months unless the applicant acts (art. 95.1 LPAC); the warning is a notification.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.lapse_warned",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "in_review",
         *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8"
         *       }
         *     }
         */
        ProcedureLapseWarnedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.lapse_warned";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
            };
        };
        /**
         * @description The managing body declared the procedure lapsed (caducidad, art. 95.1 LPAC) after the warning's three months passed; the declaration is a notification.
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "type": "procedure.lapsed",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "livemode": false,
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "status": "lapsed",
         *         "lapse_warning_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *         "warning_term_ended_on": "2026-06-10",
         *         "notification_id": "ntf_9Wq1Er3Ty5Ui7Op9As1Df3"
         *       }
         *     }
         */
        ProcedureLapsedEvent: {
            /** @description The event id (`evt_…`), also in `webhook-id`: deduplicate on it. */
            id: string;
            /** @enum {string} */
            type: "procedure.lapsed";
            /** @description When it happened, ISO 8601 UTC. */
            timestamp: string;
            livemode: boolean;
            data: {
                /**
                 * @description The procedure (`prc_…`).
                 * @example prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0
                 */
                procedure_id: string;
                /**
                 * @description The procedure type code.
                 * @enum {string}
                 */
                type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
                /** @enum {string} */
                status: "lapsed";
                /**
                 * @description The warning's notification.
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                lapse_warning_id: string;
                /**
                 * @description A date, `YYYY-MM-DD` (Europe/Madrid).
                 * @example 2026-04-14
                 */
                warning_term_ended_on: string | null;
                /**
                 * @description The notification (`ntf_…`).
                 * @example ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8
                 */
                notification_id: string;
            };
        };
        /**
         * @example {
         *       "status": "ok",
         *       "version": "0.1.0",
         *       "uptime_seconds": 42,
         *       "database": {
         *         "status": "ok",
         *         "latency_ms": 0.8
         *       }
         *     }
         */
        Health: {
            /** @enum {string} */
            status: "ok" | "degraded";
            version: string;
            uptime_seconds: number;
            database: {
                /** @enum {string} */
                status: "ok" | "unavailable";
                latency_ms: number | null;
            };
        };
        /** @description An RFC 9457 problem. Switch on `code`, which is stable. */
        Problem: {
            /** @example https://docs.puente.es/problems/validation_failed */
            type: string;
            /** @example The request is not valid */
            title: string;
            /** @example 400 */
            status: number;
            /** @example The request has 1 invalid field. */
            detail: string;
            /** @enum {string} */
            code: "validation_failed" | "malformed_json" | "csv_invalid" | "invalid_cursor" | "citizen_token_invalid" | "unauthorized" | "forbidden" | "organization_suspended" | "organization_not_practising" | "live_mode_unavailable" | "consent_required" | "consent_invalid" | "consent_signature_invalid" | "consent_key_unknown" | "consent_algorithm_not_allowed" | "consent_issuer_mismatch" | "consent_mode_mismatch" | "consent_expired" | "consent_not_yet_valid" | "consent_audience_mismatch" | "consent_actor_mismatch" | "delegation_inactive" | "scope_insufficient" | "not_found" | "method_not_allowed" | "conflict" | "invalid_state_transition" | "duplicate" | "idempotency_in_flight" | "precondition_failed" | "payload_too_large" | "unsupported_media_type" | "idempotency_conflict" | "delegation_request_expired" | "term_not_elapsed" | "calendar_unavailable" | "contact_code_invalid" | "contact_code_expired" | "too_many_rows" | "out_of_time" | "unprocessable" | "rate_limited" | "internal" | "configuration_invalid" | "service_unavailable";
            /** @example rid_3kTMd9Qx1uWv8ZbNcE4fGh */
            request_id: string;
            errors?: {
                /**
                 * @description JSON pointer to the field at fault.
                 * @example /nif
                 */
                pointer: string;
                /** @enum {string} */
                in: "body" | "query" | "path" | "header";
                /** @example The check letter should be Z for 12345678. */
                detail: string;
            }[];
            /**
             * @description With `precondition_failed`: the resource's current `ETag`. Read the resource again, apply your change to it, and send that one as `If-Match`.
             * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v5"
             */
            current_etag?: string;
        } & {
            [key: string]: unknown;
        };
        ProcedureTypeList: {
            data: components["schemas"]["ProcedureType"][];
            /** @enum {boolean} */
            has_more: false;
            next_cursor: null;
        };
        /**
         * @example {
         *       "object": "procedure_type",
         *       "code": "JUB",
         *       "name": {
         *         "es": "Pensión de jubilación contributiva",
         *         "en": "Contributory retirement pension"
         *       },
         *       "managing_bodies": [
         *         "INSS",
         *         "ISM"
         *       ],
         *       "subject": "pensions",
         *       "required_documents": [
         *         {
         *           "any_of": [
         *             "DNI_NIE"
         *           ]
         *         },
         *         {
         *           "any_of": [
         *             "IBAN_CERT"
         *           ]
         *         }
         *       ],
         *       "max_resolution_term": {
         *         "value": 90,
         *         "unit": "business_days"
         *       },
         *       "silence_effect": "negative",
         *       "legal_source": "Ley 39/2015 arts. 21 y 24; TRLGSS (RDL 8/2015).",
         *       "confidence": "C",
         *       "confidence_note": null,
         *       "attachment_cap_bytes": 10485760,
         *       "attachment_cap_observed": false
         *     }
         */
        ProcedureType: {
            /** @enum {string} */
            object: "procedure_type";
            code: components["schemas"]["ProcedureTypeCode"];
            name: {
                es: string;
                en: string;
            };
            managing_bodies: string[];
            subject: components["schemas"]["Subject"];
            /** @description Each entry must be satisfied by at least one document of one of its kinds. */
            required_documents: {
                any_of: components["schemas"]["DocumentKind"][];
            }[];
            max_resolution_term: {
                value: number;
                /** @enum {string} */
                unit: "business_days" | "months";
            };
            /**
             * @description What the absence of a notified resolution by the maximum date means.
             * @enum {string}
             */
            silence_effect: "negative" | "positive";
            legal_source: string;
            /**
             * @description C confirmed by an official text or two sources; S one secondary source; U unconfirmed.
             * @enum {string}
             */
            confidence: "C" | "S" | "U";
            confidence_note: string | null;
            attachment_cap_bytes: number;
            /** @description True when the cap was observed on the official e-service; otherwise a default. */
            attachment_cap_observed: boolean;
        };
        /** @enum {string} */
        ProcedureTypeCode: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP";
        /**
         * @description Subject (materia) of a procedure, as used in delegation scopes.
         * @enum {string}
         */
        Subject: "pensions" | "disability" | "family" | "minimum_income" | "health" | "appeals";
        JsonSchema: {
            [key: string]: unknown;
        };
        /**
         * @example {
         *       "object": "deadline",
         *       "from": "2026-03-27",
         *       "deadline": "2026-04-14",
         *       "unit": "business_days",
         *       "amount": 10,
         *       "region": "MD",
         *       "provisional": false,
         *       "skipped": [
         *         {
         *           "date": "2026-03-28",
         *           "reason": "saturday",
         *           "name": null,
         *           "place": null
         *         },
         *         {
         *           "date": "2026-03-29",
         *           "reason": "sunday",
         *           "name": null,
         *           "place": null
         *         },
         *         {
         *           "date": "2026-04-02",
         *           "reason": "regional_holiday",
         *           "name": "Jueves Santo",
         *           "place": {
         *             "code": "MD",
         *             "name": "Comunidad de Madrid",
         *             "roles": [
         *               "applicant",
         *               "office"
         *             ]
         *           }
         *         },
         *         {
         *           "date": "2026-04-03",
         *           "reason": "national_holiday",
         *           "name": "Viernes Santo",
         *           "place": {
         *             "code": "ES",
         *             "name": "España",
         *             "roles": [
         *               "applicant",
         *               "office"
         *             ]
         *           }
         *         },
         *         {
         *           "date": "2026-04-04",
         *           "reason": "saturday",
         *           "name": null,
         *           "place": null
         *         },
         *         {
         *           "date": "2026-04-05",
         *           "reason": "sunday",
         *           "name": null,
         *           "place": null
         *         },
         *         {
         *           "date": "2026-04-11",
         *           "reason": "saturday",
         *           "name": null,
         *           "place": null
         *         },
         *         {
         *           "date": "2026-04-12",
         *           "reason": "sunday",
         *           "name": null,
         *           "place": null
         *         }
         *       ],
         *       "places": [
         *         {
         *           "role": "applicant",
         *           "region": "MD",
         *           "province": "M",
         *           "municipality": "28079",
         *           "municipality_name": "Madrid",
         *           "area": null,
         *           "local_days_known": true
         *         },
         *         {
         *           "role": "office",
         *           "region": "MD",
         *           "province": "M",
         *           "municipality": "28079",
         *           "municipality_name": "Madrid",
         *           "area": null,
         *           "local_days_known": true
         *         }
         *       ],
         *       "lowest_confidence": "A",
         *       "warnings": []
         *     }
         */
        Deadline: {
            /** @enum {string} */
            object: "deadline";
            /** Format: date */
            from: string;
            /** Format: date */
            deadline: string;
            /** @enum {string} */
            unit: "business_days" | "months" | "natural_days";
            amount: number;
            /**
             * @description Autonomous community (ISO 3166-2:ES), or null.
             * @enum {string|null}
             */
            region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML" | null;
            /** @description True when a year involved only has provisional holiday data. */
            provisional: boolean;
            skipped: {
                /** Format: date */
                date: string;
                /** @enum {string} */
                reason: "saturday" | "sunday" | "national_holiday" | "regional_holiday" | "local_holiday" | "island_holiday" | "territorial_holiday";
                name: string | null;
                /** @description Where the day is a holiday, and for which of the places; null for weekends. */
                place: {
                    /** @description `ES`, a community (`MD`), an island or territory (`tenerife`, `val_aran`, `bizkaia`) or an INE municipality code. */
                    code: string;
                    name: string;
                    roles: ("applicant" | "office")[];
                } | null;
            }[];
            places: components["schemas"]["CalendarPlace"][];
            lowest_confidence: components["schemas"]["Confidence"];
            warnings: components["schemas"]["CalendarWarning"][];
        };
        CalendarPlace: {
            /** @enum {string} */
            role: "applicant" | "office";
            /**
             * @description Autonomous community (ISO 3166-2:ES), or null.
             * @enum {string|null}
             */
            region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML" | null;
            province: string | null;
            /** @description INE code. */
            municipality: string | null;
            municipality_name: string | null;
            /** @description Island (Canarias), Val d'Aran or Basque historical territory whose days count. */
            area: string | null;
            /** @description False when the municipality (or its local days for a year involved) is unknown: the true deadline may be later. */
            local_days_known: boolean;
        };
        /**
         * @description A: an official text, or two independent sources agree; B: one reliable secondary source; C: inferred.
         * @enum {string}
         */
        Confidence: "A" | "B" | "C";
        CalendarWarning: {
            /** @enum {string} */
            code: "region_unknown" | "municipality_unknown" | "local_days_unknown" | "local_days_incomplete" | "local_days_partial" | "local_days_conflict" | "provisional_calendar" | "office_unknown" | "term_unconfirmed";
            message: string;
        };
        /**
         * @description The applicant's community. Without it (and without `municipality`) only national days count for the applicant.
         * @example MD
         * @enum {string}
         */
        Region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML";
        /**
         * @description Province of the deciding office (its seat is the provincial capital). Defaults to the applicant's province when `municipality` is given, or to the community's only province (MD, AS, CB, RI, MC, NC, IB, CE, ML) when only `region` is; otherwise the office's days are not counted and the answer warns `office_unknown`.
         * @example M
         * @enum {string}
         */
        Province: "A" | "AB" | "AL" | "AV" | "B" | "BA" | "BI" | "BU" | "C" | "CA" | "CC" | "CE" | "CO" | "CR" | "CS" | "CU" | "GC" | "GI" | "GR" | "GU" | "H" | "HU" | "J" | "L" | "LE" | "LO" | "LU" | "M" | "MA" | "ML" | "MU" | "NA" | "O" | "OR" | "P" | "PM" | "PO" | "S" | "SA" | "SE" | "SG" | "SO" | "SS" | "T" | "TE" | "TF" | "TO" | "V" | "VA" | "VI" | "Z" | "ZA";
        /**
         * @example {
         *       "object": "holiday_list",
         *       "year": 2026,
         *       "provisional": false,
         *       "source": "BOE-A-2025-21667 (Res. DG Trabajo, BOE 28-10-2025)",
         *       "place": {
         *         "role": "applicant",
         *         "region": "MD",
         *         "province": "M",
         *         "municipality": "28079",
         *         "municipality_name": "Madrid",
         *         "area": null,
         *         "local_days_known": true
         *       },
         *       "data": [
         *         {
         *           "date": "2026-05-15",
         *           "name": "San Isidro",
         *           "reason": "local_holiday",
         *           "scope": "municipality",
         *           "place": {
         *             "code": "28079",
         *             "name": "Madrid"
         *           },
         *           "source": "BOCM",
         *           "confidence": "A",
         *           "partial": false,
         *           "conflict": false
         *         }
         *       ],
         *       "warnings": []
         *     }
         */
        HolidayList: {
            /** @enum {string} */
            object: "holiday_list";
            year: number;
            provisional: boolean;
            source: string;
            place: components["schemas"]["CalendarPlace"] & (Record<string, never> | null);
            data: components["schemas"]["Holiday"][];
            warnings: components["schemas"]["CalendarWarning"][];
        };
        Holiday: {
            /** Format: date */
            date: string;
            name: string;
            /** @enum {string} */
            reason: "national_holiday" | "regional_holiday" | "local_holiday" | "island_holiday" | "territorial_holiday";
            /** @enum {string} */
            scope: "national" | "region" | "area" | "municipality";
            place: {
                code: string;
                name: string;
            };
            source: string;
            confidence: components["schemas"]["Confidence"];
            /** @description The main town's day; other localities of the municipality keep days of their own. */
            partial: boolean;
            /** @description Sources disagree; kept as a holiday to be safe. */
            conflict: boolean;
        };
        OrganizationRegistration: {
            organization: components["schemas"]["Organization"];
            owner: components["schemas"]["Member"];
            test_key: components["schemas"]["ApiKeyWithSecret"];
        };
        /**
         * @example {
         *       "id": "org_4mT9sQ2xPz8LkV1bN7cW3d",
         *       "object": "organization",
         *       "legal_name": "Gestoría Martínez y Asociados S.L.",
         *       "nif": "B00000000",
         *       "kind": "gestoria",
         *       "status": "verified",
         *       "professional_standing": {
         *         "colegio": "Colegio Oficial de Gestores Administrativos de Madrid",
         *         "registry": null,
         *         "registration_number": "2841",
         *         "practising": true,
         *         "statutes_allow_representation": null
         *       },
         *       "contact_email": "contacto@gestoriamartinez.es",
         *       "verification": {
         *         "verified_at": "2026-03-03T10:15:00.000Z",
         *         "verified_by": "ops@puente.es",
         *         "note": "Colegiación comprobada en el censo del Colegio."
         *       },
         *       "suspension": null,
         *       "created_at": "2026-03-02T09:00:00.000Z"
         *     }
         */
        Organization: {
            id: string;
            /** @enum {string} */
            object: "organization";
            legal_name: string;
            nif: string;
            /** @enum {string} */
            kind: "gestoria" | "law_firm" | "graduado_social" | "third_sector";
            /** @enum {string} */
            status: "pending_verification" | "verified" | "suspended";
            professional_standing: {
                colegio: string | null;
                registry: string | null;
                registration_number: string;
                practising: boolean | null;
                statutes_allow_representation: boolean | null;
            };
            contact_email: string;
            verification: {
                verified_at: string;
                verified_by: string;
                note: string;
            } | null;
            suspension: {
                suspended_at: string;
                reason: string;
            } | null;
            created_at: string;
        };
        /**
         * @example {
         *       "id": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "object": "member",
         *       "name": "Lucía Martínez Pardo",
         *       "id_number": "12345678Z",
         *       "email": "lucia@gestoriamartinez.es",
         *       "role": "owner",
         *       "colegio_number": "2841",
         *       "status": "active",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "removed_at": null
         *     }
         */
        Member: {
            id: string;
            /** @enum {string} */
            object: "member";
            name: string;
            id_number: string;
            email: string | null;
            /** @enum {string} */
            role: "owner" | "admin" | "agent" | "viewer";
            colegio_number: string | null;
            /** @enum {string} */
            status: "active" | "removed";
            created_at: string;
            removed_at: string | null;
        };
        /**
         * @example {
         *       "id": "key_2bN6vX9qLm3Tp0sR8wZ1yK",
         *       "object": "api_key",
         *       "name": "Case-management sync",
         *       "livemode": false,
         *       "display_prefix": "sk_test_Ab3d…9xQz",
         *       "member_id": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "last_used_at": null,
         *       "revoked_at": null,
         *       "issued_by_platform": null,
         *       "secret": "sk_test_Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d9xQz"
         *     }
         */
        ApiKeyWithSecret: components["schemas"]["ApiKey"] & {
            /**
             * @description The key itself. Shown once: store it now.
             * @example sk_test_Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d9xQz
             */
            secret: string;
        };
        /**
         * @example {
         *       "id": "key_2bN6vX9qLm3Tp0sR8wZ1yK",
         *       "object": "api_key",
         *       "name": "Case-management sync",
         *       "livemode": false,
         *       "display_prefix": "sk_test_Ab3d…9xQz",
         *       "member_id": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "last_used_at": "2026-03-02T09:05:12.000Z",
         *       "revoked_at": null,
         *       "issued_by_platform": null
         *     }
         */
        ApiKey: {
            id: string;
            /** @enum {string} */
            object: "api_key";
            name: string;
            livemode: boolean;
            /** @description Enough to recognise the key; the secret is shown only once, at creation. */
            display_prefix: string;
            /** @description The member the key acts as; every write records it. */
            member_id: string;
            /** @description Member who created the key. */
            created_by: string | null;
            created_at: string;
            last_used_at: string | null;
            revoked_at: string | null;
            /** @description Set on a key the platform administrator issued for the owner, who had lost every key (`POST /v1/admin/organizations/{id}/owner-keys`); null on keys the organisation made. */
            issued_by_platform: {
                /** @description Who at the platform checked the owner's identity. */
                verified_by: string;
                /** @description What was checked. */
                note: string;
            } | null;
        };
        /**
         * @example {
         *       "legal_name": "Gestoría Martínez y Asociados S.L.",
         *       "nif": "B00000000",
         *       "kind": "gestoria",
         *       "professional_standing": {
         *         "colegio": "Colegio Oficial de Gestores Administrativos de Madrid",
         *         "registration_number": "2841",
         *         "practising": true
         *       },
         *       "contact_email": "contacto@gestoriamartinez.es",
         *       "owner": {
         *         "name": "Lucía Martínez Pardo",
         *         "id_number": "12345678Z",
         *         "email": "lucia@gestoriamartinez.es",
         *         "colegio_number": "2841"
         *       }
         *     }
         */
        RegisterOrganizationRequest: {
            /** @enum {string} */
            kind: "gestoria" | "law_firm" | "graduado_social";
            /** @example Gestoría Martínez y Asociados S.L. */
            legal_name: string;
            /**
             * @description NIF of the organisation (entity NIF, or DNI/NIE of a sole practitioner).
             * @example B00000000
             */
            nif: string;
            /**
             * Format: email
             * @example contacto@gestoriamartinez.es
             */
            contact_email: string;
            owner: {
                /** @example Lucía Martínez Pardo */
                name: string;
                /**
                 * @description DNI, NIE or personal NIF; spaces, dots and dashes are ignored.
                 * @example 12345678Z
                 */
                id_number: string;
                /**
                 * Format: email
                 * @example contacto@gestoriamartinez.es
                 */
                email?: string;
                /** @example 2841 */
                colegio_number?: string;
            };
            professional_standing: components["schemas"]["ColegioStanding"];
        } | {
            /** @enum {string} */
            kind: "third_sector";
            /** @example Gestoría Martínez y Asociados S.L. */
            legal_name: string;
            /**
             * @description NIF of the organisation (entity NIF, or DNI/NIE of a sole practitioner).
             * @example B00000000
             */
            nif: string;
            /**
             * Format: email
             * @example contacto@gestoriamartinez.es
             */
            contact_email: string;
            owner: {
                /** @example Lucía Martínez Pardo */
                name: string;
                /**
                 * @description DNI, NIE or personal NIF; spaces, dots and dashes are ignored.
                 * @example 12345678Z
                 */
                id_number: string;
                /**
                 * Format: email
                 * @example contacto@gestoriamartinez.es
                 */
                email?: string;
                /** @example 2841 */
                colegio_number?: string;
            };
            professional_standing: components["schemas"]["ThirdSectorStanding"];
        };
        ColegioStanding: {
            /** @example Colegio Oficial de Gestores Administrativos de Madrid */
            colegio: string;
            /**
             * @description Número de colegiado.
             * @example 2841
             */
            registration_number: string;
            /** @description Ejerciente: only practising professionals may represent. */
            practising: boolean;
        };
        ThirdSectorStanding: {
            /** @example Registro Nacional de Asociaciones */
            registry: string;
            /** @example 612345 */
            registration_number: string;
            /**
             * @description Declaration that the statutes allow the body to represent people (Ley 39/2015, art. 5). Mandatory.
             * @enum {boolean}
             */
            statutes_allow_representation: true;
        };
        /**
         * @example {
         *       "name": "Javier Ortega Ruiz",
         *       "id_number": "11111111H",
         *       "email": "javier@gestoriamartinez.es",
         *       "role": "agent",
         *       "colegio_number": "3107"
         *     }
         */
        CreateMemberRequest: {
            name: string;
            /**
             * @description DNI, NIE or personal NIF; spaces, dots and dashes are ignored.
             * @example 12345678Z
             */
            id_number: string;
            /**
             * Format: email
             * @example contacto@gestoriamartinez.es
             */
            email?: string;
            /**
             * @description There is one owner per organisation, set at registration.
             * @enum {string}
             */
            role: "admin" | "agent" | "viewer";
            colegio_number?: string;
        };
        MemberList: {
            data: components["schemas"]["Member"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "name": "Case-management sync",
         *       "livemode": false
         *     }
         */
        CreateApiKeyRequest: {
            /** @example Case-management sync */
            name: string;
            /** @description Default false. Live keys can be created once the organisation is verified. */
            livemode?: boolean;
            /** @description Member the key acts as; defaults to the caller's member. */
            member_id?: string;
        };
        ApiKeyList: {
            data: components["schemas"]["ApiKey"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "id": "dlb_3vN8kQ2mXp7LwR4tZ9cB1d",
         *       "object": "delegation_request_batch",
         *       "livemode": false,
         *       "source": "csv",
         *       "status": "processing",
         *       "total": 1000,
         *       "done": 400,
         *       "created": 380,
         *       "duplicates": 12,
         *       "failed": 8,
         *       "rows_url": "/v1/delegation-requests/batches/dlb_3vN8kQ2mXp7LwR4tZ9cB1d/rows",
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "completed_at": null
         *     }
         */
        DelegationRequestBatch: {
            id: string;
            /** @enum {string} */
            object: "delegation_request_batch";
            livemode: boolean;
            /** @enum {string} */
            source: "csv" | "json";
            /** @enum {string} */
            status: "processing" | "completed";
            /** @description Rows in the batch. */
            total: number;
            /** @description Rows finished so far, whatever their outcome: `created + duplicates + failed`. */
            done: number;
            /** @description Rows that opened a new delegation request. */
            created: number;
            /** @description Rows for which a pending request for the same citizen and scope already existed when the row was processed: made before the batch, or by an earlier row of this batch. */
            duplicates: number;
            /** @description Rows refused, each with its problem (see the rows list). */
            failed: number;
            /** @description The paginated outcome of every row. */
            rows_url: string;
            /** @description Member who sent the batch. */
            created_by: string;
            created_at: string;
            completed_at: string | null;
        };
        CreateDelegationRequestBatchUpload: {
            /**
             * Format: binary
             * @description A CSV file with a header line. Columns: id_number, name, contact, procedure_types, subjects, capacities, valid_until, message (id_number, capacities, valid_until required; procedure_types or subjects must name at least one). Separator `,`, `;` or tab, detected from the header line (or named by a `sep=;` line before it); lists (procedure types, subjects, capacities) separated by `;`, `,`, `|` or spaces inside their cell (quote the cell when it holds the file's separator). UTF-8 with or without BOM, or Windows-1252. At most 5000 rows.
             */
            file: Blob;
        };
        /**
         * @example {
         *       "rows": [
         *         {
         *           "citizen": {
         *             "id_number": "12345678Z",
         *             "name": "Carmen López García",
         *             "contact": "carmen.lopez@example.es"
         *           },
         *           "scope": {
         *             "procedure_types": [
         *               "JUB"
         *             ],
         *             "subjects": [],
         *             "capacities": [
         *               "consult",
         *               "file",
         *               "respond"
         *             ]
         *           },
         *           "valid_until": "2027-12-31"
         *         }
         *       ]
         *     }
         */
        CreateDelegationRequestBatch: {
            /** @description Up to 5000 rows, each a `CreateDelegationRequest` body. A row that is not valid (not even an object) does not refuse the batch: it is reported as failed, with its fields at fault. */
            rows: unknown[];
        };
        DelegationRequestBatchRowList: {
            data: components["schemas"]["DelegationRequestBatchRow"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "object": "delegation_request_batch_row",
         *       "row": 7,
         *       "line": 8,
         *       "status": "failed",
         *       "delegation_request_id": null,
         *       "problem": {
         *         "code": "validation_failed",
         *         "detail": "Invalid body field /citizen/id_number: The check letter should be Z for 12345678.",
         *         "errors": [
         *           {
         *             "pointer": "/citizen/id_number",
         *             "column": "id_number",
         *             "detail": "The check letter should be Z for 12345678."
         *           }
         *         ]
         *       },
         *       "processed_at": "2026-03-02T09:00:01.000Z"
         *     }
         */
        DelegationRequestBatchRow: {
            /** @enum {string} */
            object: "delegation_request_batch_row";
            /** @description Position of the row in the batch, from 1 (the CSV header is not counted). */
            row: number;
            /** @description CSV: the file line where the row starts (the header is line 1). Null for JSON rows. */
            line: number | null;
            /** @enum {string} */
            status: "queued" | "created" | "duplicate" | "failed";
            /** @description `created`: the new request; `duplicate`: the pending request that already existed. */
            delegation_request_id: string | null;
            problem: components["schemas"]["DelegationRequestBatchRowProblem"];
            processed_at: string | null;
        };
        /** @description `failed`: why, field by field. */
        DelegationRequestBatchRowProblem: {
            /**
             * @description The problem code a single request with this row would have answered; `internal` when the row failed because of an error on our side (nothing was made for it, and the other rows went on).
             * @example validation_failed
             */
            code: string;
            detail: string;
            errors: {
                /**
                 * @description JSON pointer to the field, within the row's request body.
                 * @example /citizen/id_number
                 */
                pointer: string;
                /**
                 * @description The CSV column holding the field (null for JSON rows).
                 * @example id_number
                 */
                column: string | null;
                detail: string;
            }[];
        } | null;
        /**
         * @example {
         *       "id": "dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1",
         *       "object": "delegation_request",
         *       "livemode": false,
         *       "organization": {
         *         "id": "org_4mT9sQ2xPz8LkV1bN7cW3d",
         *         "legal_name": "Gestoría Martínez y Asociados S.L.",
         *         "nif": "B00000000",
         *         "kind": "gestoria",
         *         "verified": true,
         *         "professional_standing": {
         *           "colegio": "Colegio Oficial de Gestores Administrativos de Madrid",
         *           "registry": null,
         *           "registration_number": "2841"
         *         }
         *       },
         *       "citizen": {
         *         "id_number": "12345678Z",
         *         "name": "Carmen López García",
         *         "contact": "carmen.lopez@example.es"
         *       },
         *       "scope": {
         *         "procedure_types": [
         *           "JUB"
         *         ],
         *         "subjects": [],
         *         "capacities": [
         *           "consult",
         *           "file",
         *           "respond"
         *         ]
         *       },
         *       "scope_version": 1,
         *       "valid_until": "2027-12-31",
         *       "message": "Para tramitar su pensión de jubilación.",
         *       "code": "K7MQ-4XPR",
         *       "approval_url": "https://puente.example.es/ciudadania/solicitudes/dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1",
         *       "status": "pending",
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "expires_at": "2026-03-23T09:00:00.000Z",
         *       "ended_at": null,
         *       "ended_by": null,
         *       "delegation_id": null
         *     }
         */
        DelegationRequest: {
            id: string;
            /** @enum {string} */
            object: "delegation_request";
            livemode: boolean;
            organization: components["schemas"]["OrganizationSummary"];
            citizen: {
                id_number: string;
                name: string | null;
                contact: string | null;
            };
            scope: components["schemas"]["Scope"];
            scope_version: number;
            /** Format: date */
            valid_until: string;
            message: string | null;
            /** @description Short code the citizen can type or read over the phone. */
            code: string;
            /** @description Where the citizen signs in to accept or reject. */
            approval_url: string;
            /** @enum {string} */
            status: "pending" | "accepted" | "rejected" | "cancelled" | "expired";
            /** @description Member who made the request. */
            created_by: string;
            created_at: string;
            expires_at: string;
            ended_at: string | null;
            /** @enum {string|null} */
            ended_by: "citizen" | "organization" | "system" | null;
            delegation_id: string | null;
        };
        OrganizationSummary: {
            id: string;
            legal_name: string;
            nif: string;
            /** @enum {string} */
            kind: "gestoria" | "law_firm" | "graduado_social" | "third_sector";
            verified: boolean;
            professional_standing: {
                colegio: string | null;
                registry: string | null;
                registration_number: string;
            };
        };
        /**
         * @example {
         *       "procedure_types": [
         *         "JUB"
         *       ],
         *       "subjects": [
         *         "family"
         *       ],
         *       "capacities": [
         *         "consult",
         *         "file",
         *         "respond"
         *       ]
         *     }
         */
        Scope: {
            /** @default [] */
            procedure_types: components["schemas"]["ProcedureTypeCode"][];
            /** @default [] */
            subjects: components["schemas"]["Subject"][];
            capacities: components["schemas"]["Capacity"][];
        };
        /**
         * @description `consult` reads procedures and documents; `file` creates and submits; `respond` answers requirements; `withdraw` desists or renounces.
         * @enum {string}
         */
        Capacity: "consult" | "file" | "respond" | "withdraw";
        /**
         * @example {
         *       "citizen": {
         *         "id_number": "12345678Z",
         *         "name": "Carmen López García",
         *         "contact": "carmen.lopez@example.es"
         *       },
         *       "scope": {
         *         "procedure_types": [
         *           "JUB"
         *         ],
         *         "subjects": [],
         *         "capacities": [
         *           "consult",
         *           "file",
         *           "respond"
         *         ]
         *       },
         *       "valid_until": "2027-12-31",
         *       "message": "Para tramitar su pensión de jubilación, como acordamos en la reunión del lunes."
         *     }
         */
        CreateDelegationRequest: {
            citizen: {
                /**
                 * @description DNI, NIE or personal NIF; spaces, dots and dashes are ignored.
                 * @example 12345678Z
                 */
                id_number: string;
                name?: string;
                /** @description Email or phone where the citizen expects the approval link. */
                contact?: string;
            };
            scope: components["schemas"]["Scope"];
            /**
             * Format: date
             * @description Last day of the power; at most 5 years from today.
             * @example 2026-03-27
             */
            valid_until: string;
            /** @description Shown to the citizen on the approval page. */
            message?: string;
        };
        DelegationRequestList: {
            data: components["schemas"]["DelegationRequest"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        DelegationList: {
            data: components["schemas"]["Delegation"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "object": "delegation",
         *       "livemode": false,
         *       "organization": {
         *         "id": "org_4mT9sQ2xPz8LkV1bN7cW3d",
         *         "legal_name": "Gestoría Martínez y Asociados S.L."
         *       },
         *       "citizen": {
         *         "id": "cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2",
         *         "id_number": "12345678Z"
         *       },
         *       "request_id": "dlr_7Hk2Lm9Np4Qr6St8Uv0Wx1",
         *       "scope": {
         *         "procedure_types": [
         *           "JUB"
         *         ],
         *         "subjects": [],
         *         "capacities": [
         *           "consult",
         *           "file",
         *           "respond"
         *         ]
         *       },
         *       "scope_version": 1,
         *       "covered_procedure_types": [
         *         "JUB"
         *       ],
         *       "valid_from": "2026-03-02",
         *       "valid_until": "2027-12-31",
         *       "status": "active",
         *       "created_at": "2026-03-02T10:12:00.000Z",
         *       "ended_at": null,
         *       "ended_by": null,
         *       "ended_reason": null
         *     }
         */
        Delegation: {
            id: string;
            /** @enum {string} */
            object: "delegation";
            livemode: boolean;
            organization: {
                id: string;
                legal_name: string;
            };
            citizen: {
                /** @description Pseudonymous citizen id, the `sub` of consent tokens. */
                id: string;
                id_number: string;
            };
            request_id: string;
            scope: components["schemas"]["Scope"];
            scope_version: number;
            /** @description Every procedure type the scope covers, subjects expanded. */
            covered_procedure_types: components["schemas"]["ProcedureTypeCode"][];
            /** Format: date */
            valid_from: string;
            /** Format: date */
            valid_until: string;
            /** @enum {string} */
            status: "active" | "revoked" | "renounced" | "expired" | "suspended";
            created_at: string;
            /** @description When it ended. Past `valid_until` (`ended_by: expiry`): midnight in Madrid at the end of that day, e.g. `2026-03-04T23:00:00.000Z` for `2026-03-04`. */
            ended_at: string | null;
            /** @enum {string|null} */
            ended_by: "citizen" | "organization" | "platform" | "expiry" | null;
            ended_reason: string | null;
        };
        /**
         * @example {
         *       "reason": "El cliente ha cambiado de gestoría."
         *     }
         */
        RenounceDelegationRequest: {
            reason?: string;
        };
        /**
         * @example {
         *       "object": "consent_token",
         *       "token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImNrXzIwMjYwMzAyX2FCY0RlRmdIIiwidHlwIjoicHVlbnRlLWNvbnNlbnQrand0In0.eyJzdWIiOiJjaXRfOVp4OFl3N1Z1NlRzNVJxNFBvM05tMiJ9.c2lnbmF0dXJl",
         *       "token_id": "ctk_5Rt7Yu9Io1Pa3Sd5Fg7Hj9",
         *       "delegation_id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "expires_at": "2026-03-02T10:22:00.000Z",
         *       "authorization_details": [
         *         {
         *           "type": "puente_delegation",
         *           "procedure_types": [
         *             "JUB"
         *           ],
         *           "capacities": [
         *             "consult",
         *             "file"
         *           ]
         *         }
         *       ]
         *     }
         */
        ConsentToken: {
            /** @enum {string} */
            object: "consent_token";
            /** @description Send it as `Puente-Consent` on every operation on this client's data. */
            token: string;
            /** @description The token's `jti`. */
            token_id: string;
            delegation_id: string;
            expires_at: string;
            authorization_details: {
                /** @enum {string} */
                type: "puente_delegation";
                procedure_types: components["schemas"]["ProcedureTypeCode"][];
                capacities: components["schemas"]["Capacity"][];
            }[];
        };
        /**
         * @example {
         *       "lifetime_seconds": 600,
         *       "capacities": [
         *         "consult",
         *         "file"
         *       ]
         *     }
         */
        MintConsentTokenRequest: {
            /** @description Default 600 (10 minutes). */
            lifetime_seconds?: number;
            /** @description Narrow the token to these types (within the delegation). */
            procedure_types?: components["schemas"]["ProcedureTypeCode"][];
            /** @description Narrow the token to these capacities (within the delegation). */
            capacities?: components["schemas"]["Capacity"][];
        };
        /**
         * @example {
         *       "object": "consent_check",
         *       "delegation_id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "citizen_id": "cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2",
         *       "capacity": "file",
         *       "procedure_type": "JUB",
         *       "token_id": "ctk_5Rt7Yu9Io1Pa3Sd5Fg7Hj9",
         *       "expires_at": "2026-03-02T10:22:00.000Z"
         *     }
         */
        ConsentCheck: {
            /** @enum {string} */
            object: "consent_check";
            delegation_id: string;
            citizen_id: string;
            capacity: components["schemas"]["Capacity"];
            /** @enum {string|null} */
            procedure_type: "JUB" | "IP" | "IT_PD" | "NCM" | "CCL" | "CUME" | "REM" | "VIU" | "ORF" | "FFA" | "ADF" | "IMV" | "CAPI" | "AHC" | "TSE" | "PNC" | "RP" | null;
            token_id: string;
            expires_at: string;
        };
        /**
         * @example {
         *       "keys": [
         *         {
         *           "kty": "OKP",
         *           "crv": "Ed25519",
         *           "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
         *           "kid": "ck_20260302_aBcDeFgH",
         *           "alg": "EdDSA",
         *           "use": "sig"
         *         }
         *       ]
         *     }
         */
        JsonWebKeySet: {
            keys: {
                kty: string;
                crv: string;
                x: string;
                kid: string;
                alg: string;
                use: string;
            }[];
        };
        /**
         * @example {
         *       "active": true,
         *       "reason": null,
         *       "sub": "cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2",
         *       "dlg": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "act": {
         *         "sub": "org_4mT9sQ2xPz8LkV1bN7cW3d",
         *         "member": "mem_8Fq2LwP0sZ4nR7tY1xB5cV"
         *       },
         *       "livemode": false,
         *       "authorization_details": [
         *         {
         *           "type": "puente_delegation",
         *           "procedure_types": [
         *             "JUB"
         *           ],
         *           "capacities": [
         *             "consult",
         *             "file"
         *           ]
         *         }
         *       ],
         *       "iat": 1772445720,
         *       "exp": 1772446320,
         *       "jti": "ctk_5Rt7Yu9Io1Pa3Sd5Fg7Hj9",
         *       "delegation_status": "active"
         *     }
         */
        ConsentTokenIntrospection: {
            active: boolean;
            /** @description Why the token is not active (a problem code), or null. */
            reason: string | null;
            sub: string | null;
            dlg: string | null;
            act: {
                sub: string;
                member: string;
            } | null;
            livemode: boolean | null;
            authorization_details: {
                /** @enum {string} */
                type: "puente_delegation";
                procedure_types: components["schemas"]["ProcedureTypeCode"][];
                capacities: components["schemas"]["Capacity"][];
            }[] | null;
            iat: number | null;
            exp: number | null;
            jti: string | null;
            /** @enum {string|null} */
            delegation_status: "active" | "revoked" | "renounced" | "expired" | "suspended" | null;
        };
        /**
         * @example {
         *       "token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImNrXzIwMjYwMzAyX2FCY0RlRmdIIiwidHlwIjoicHVlbnRlLWNvbnNlbnQrand0In0.e30.c2ln"
         *     }
         */
        IntrospectConsentTokenRequest: {
            token: string;
        };
        /**
         * @example {
         *       "id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *       "object": "procedure",
         *       "livemode": true,
         *       "type": "JUB",
         *       "status": "in_review",
         *       "citizen": {
         *         "id": "cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2",
         *         "id_number": "12345678Z"
         *       },
         *       "delegation_id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "form": {
         *         "applicant": {
         *           "contact": {
         *             "email": "carmen.lopez@example.es",
         *             "phone": "+34612345678"
         *           },
         *           "address": {
         *             "street": "Calle de Alcalá 123, 4º B",
         *             "postal_code": "28009",
         *             "municipality": "Madrid",
         *             "municipality_code": "28079",
         *             "province": "Madrid",
         *             "region": "MD"
         *           },
         *           "iban": "ES9121000418450200051332"
         *         },
         *         "regime": "general",
         *         "modality": "ordinaria",
         *         "requested_start_date": "2026-06-01"
         *       },
         *       "region": "MD",
         *       "original_procedure_id": null,
         *       "registry_entry_number": "REG-2026-00001234",
         *       "managing_body": "INSS",
         *       "submitted_at": "2026-03-02T10:30:00.000Z",
         *       "registered_on": "2026-03-02",
         *       "places": {
         *         "applicant_municipality": "28079",
         *         "office_municipality": "28079"
         *       },
         *       "deadlines": {
         *         "clock": "running",
         *         "max_resolution_date": "2026-07-09",
         *         "presumed_denied_at": null,
         *         "requirement_deadline": null,
         *         "prior_claim_deadline": null,
         *         "awaiting_notification": null,
         *         "basis": {
         *           "max_resolution_date": {
         *             "article": "Ley 39/2015, arts. 21.2–21.3 (plazo máximo) and 30 (cómputo); suspended by a requirement, art. 22.1.a",
         *             "term": {
         *               "value": 90,
         *               "unit": "business_days"
         *             },
         *             "places": [
         *               {
         *                 "role": "applicant",
         *                 "region": "MD",
         *                 "province": "M",
         *                 "municipality": "28079",
         *                 "municipality_name": "Madrid",
         *                 "area": null,
         *                 "local_days_known": true
         *               },
         *               {
         *                 "role": "office",
         *                 "region": "MD",
         *                 "province": "M",
         *                 "municipality": "28079",
         *                 "municipality_name": "Madrid",
         *                 "area": null,
         *                 "local_days_known": true
         *               }
         *             ],
         *             "lowest_confidence": "A",
         *             "provisional": false,
         *             "warnings": []
         *           },
         *           "presumed_denied_at": null,
         *           "requirement_deadline": null,
         *           "prior_claim_deadline": null
         *         },
         *         "unavailable": []
         *       },
         *       "resolution": null,
         *       "requirements": [],
         *       "missing_documents": [],
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "submitted_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T10:20:00.000Z",
         *       "updated_at": "2026-03-03T08:00:00.000Z",
         *       "version": 4
         *     }
         */
        Procedure: {
            id: string;
            /** @enum {string} */
            object: "procedure";
            livemode: boolean;
            type: components["schemas"]["ProcedureTypeCode"];
            /** @enum {string} */
            status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
            citizen: {
                id: string;
                id_number: string;
            };
            delegation_id: string;
            /**
             * @description Autonomous community (ISO 3166-2:ES), or null.
             * @enum {string|null}
             */
            region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML" | null;
            /** @description The places whose calendars count for this procedure's deadlines (Ley 39/2015, art. 30.6). */
            places: {
                /** @description INE code of the applicant's municipality (from the form's address). */
                applicant_municipality: string | null;
                /** @description INE code of the deciding office's seat: the capital of the applicant's province (Dirección Provincial). */
                office_municipality: string | null;
            };
            original_procedure_id: string | null;
            registry_entry_number: string | null;
            managing_body: components["schemas"]["ManagingBody"];
            submitted_at: string | null;
            /**
             * Format: date
             * @description The day the legal clock counts from (next working day when filed on a non-working day).
             */
            registered_on: string | null;
            deadlines: components["schemas"]["ProcedureDeadlines"];
            /** @description Required document groups with no document yet. */
            missing_documents: {
                any_of: components["schemas"]["DocumentKind"][];
            }[];
            created_by: string;
            submitted_by: string | null;
            created_at: string;
            updated_at: string;
            version: number;
            /** @description The application form of the procedure type; its JSON Schema is at `GET /v1/procedure-types/{code}/form`. Drafts may be incomplete. */
            form: {
                [key: string]: unknown;
            };
            resolution: {
                /** @enum {string} */
                outcome: "approved" | "partially_approved" | "denied";
                resolved_at: string;
                /** @description The notification that carries it (null for a resolution recorded without one). */
                notification_id: string | null;
                /** @description The resolution as notified; null while `content_withheld`. */
                text: string | null;
                /** @description The amount granted, in euros; null when none is (a denial), or while `content_withheld`. */
                amount: number | null;
                /** @description True until the resolution's notification takes effect: its text and amount are shown once the notification has taken effect: opened with `POST /v1/procedures/{id}/notifications/{notification_id}/access` (the legal access, art. 43.2 LPAC, which starts its term and is recorded in the client's access log), or deemed rejected after 10 días naturales unopened. Always false in the agency's responses: the agency issued the act. Its outcome is the procedure's status, shown all along. */
                content_withheld: boolean;
            } | null;
            requirements: components["schemas"]["Requirement"][];
        };
        /**
         * @description The body that decides it, fixed when it is filed (null for a draft); its back office is the only one that sees the procedure. A reclamación previa goes to the body that decided what it contests; a non-contributory pension to the applicant's community (the IMSERSO in Ceuta and Melilla); a retirement pension under the sea workers' regime to the ISM; everything else to the INSS (the forms do not name a mutua).
         * @enum {string|null}
         */
        ManagingBody: "INSS" | "ISM" | "IMSERSO" | "SEPE" | "MUTUA" | "CCAA" | null;
        ProcedureDeadlines: {
            /**
             * @description The maximum resolution term: `not_started` before filing; `running`; `suspended` from the day after a requirement's notification takes effect (opened, or deemed rejected after 10 días naturales) until it is answered or, unanswered, until the term it granted has passed (art. 22.1.a LPAC): while the notification waits the term still runs, and one that takes effect after the term has ended suspends nothing; `stopped` once the procedure has ended.
             * @enum {string}
             */
            clock: "not_started" | "running" | "suspended" | "stopped";
            /** @description Legal maximum date to resolve and notify, suspensions included; null while the term is suspended by a requirement (until it is answered or its term passes, the date is not known); never earlier than the last day of a suspension. A requirement whose notification has not taken effect does not move it yet. The `suspension` of each requirement states the days it added back, to count the date again by hand. */
            max_resolution_date: string | null;
            /** @description Set once silence applies (desestimación presunta); the body may still resolve later. */
            presumed_denied_at: string | null;
            requirement_deadline: string | null;
            /** @description After a denial: last day to file a reclamación previa (30 días hábiles from the day after the resolution's notification is opened or deemed rejected, or after silence). Always null for an `RP`: the denial of a reclamación previa is contested in court (demanda, Ley 36/2011 art. 71.6), whose term runs in the judicial calendar, which Puente does not count. */
            prior_claim_deadline: string | null;
            /** @description A notification not yet opened nor deemed rejected: the deadline it governs is null until it takes effect. Open it with `POST /v1/procedures/{id}/notifications/{notification_id}/access`. */
            awaiting_notification: {
                notification_id: string;
                /** @enum {string} */
                kind: "requirement" | "resolution";
                /** @enum {string} */
                term_starts: "on_access_or_deemed_rejection";
                /** Format: date */
                deemed_rejected_on: string;
            } | null;
            /** @description For each date above: the article it comes from, the places whose calendars were used and the weakest data behind it. */
            basis: {
                max_resolution_date: components["schemas"]["DeadlineBasis"];
                presumed_denied_at: components["schemas"]["DeadlineBasis"];
                requirement_deadline: components["schemas"]["DeadlineBasis"];
                prior_claim_deadline: components["schemas"]["DeadlineBasis"];
            };
            /** @description Dates above left null because counting them reaches a year with no holiday data yet (never guessed): each with that year. Empty when every date could be computed. */
            unavailable: {
                /** @enum {string} */
                deadline: "max_resolution_date" | "presumed_denied_at" | "requirement_deadline" | "prior_claim_deadline";
                year: number;
                message: string;
            }[];
        };
        DeadlineBasis: {
            article: string;
            term: {
                value: number;
                /** @enum {string} */
                unit: "business_days" | "months" | "natural_days";
            } | null;
            places: components["schemas"]["CalendarPlace"][];
            lowest_confidence: components["schemas"]["Confidence"];
            provisional: boolean;
            warnings: components["schemas"]["CalendarWarning"][];
        } | null;
        Requirement: {
            id: string;
            /** @enum {string} */
            object: "requirement";
            kinds: components["schemas"]["DocumentKind"][];
            /** @description When the agency issued it and made its notification available. */
            notified_at: string;
            notification_id: string | null;
            /**
             * Format: date
             * @description 10 días hábiles (15 with the extension) counted from the day after its notification is opened or deemed rejected (10 días naturales unopened, art. 43.2); null until then.
             */
            deadline: string | null;
            deadline_basis: components["schemas"]["DeadlineBasis"] & unknown;
            /** @enum {string|null} */
            term_starts: "on_access_or_deemed_rejection" | "after_access" | "after_deemed_rejection" | null;
            /**
             * Format: date
             * @description First día counted; null while the term has not started.
             */
            counting_from: string | null;
            /**
             * Format: date
             * @description The day its notification is deemed rejected if nobody opens it by then.
             */
            deemed_rejected_on: string | null;
            extended: boolean;
            suspension: components["schemas"]["RequirementSuspension"];
            /** @enum {string} */
            status: "open" | "answered" | "expired";
            answered_at: string | null;
            /** @description What the agency asks; null while `content_withheld`. */
            message: string | null;
            /** @description True until the requirement's notification takes effect: its message is shown once the notification has taken effect: opened with `POST /v1/procedures/{id}/notifications/{notification_id}/access` (the legal access, art. 43.2 LPAC, which starts its term and is recorded in the client's access log), or deemed rejected after 10 días naturales unopened. Always false in the agency's responses: the agency issued the act. */
            content_withheld: boolean;
            response_message: string | null;
        };
        /** @description What this requirement did to the maximum resolution term (art. 22.1.a LPAC), in order, so that `max_resolution_date` can be counted again by hand. Null while its notification has not taken effect (the term still runs), before filing, or when the term reaches a year with no holiday data. */
        RequirementSuspension: {
            /** @enum {string} */
            status: "running";
            /**
             * Format: date
             * @description First day of the suspension: the day after the notification took effect (opened, or deemed rejected).
             */
            first_day: string;
        } | {
            /** @enum {string} */
            status: "ended";
            /**
             * Format: date
             * @description First day of the suspension: the day after the notification took effect (opened, or deemed rejected).
             */
            first_day: string;
            /**
             * Format: date
             * @description Last day of the suspension: the day it was answered; unanswered, the last day of its term; the day the procedure ended, if it ended first.
             */
            last_day: string;
            /** @description Days added back: for a term in días hábiles, the días hábiles from `first_day` to `last_day`, added to the maximum date as it stood; for a term in months, the días naturales, added (with those of earlier suspensions) to the date the months reach from the registration day (art. 30.4), which is then moved to a working day. */
            days: number;
            /** @enum {string} */
            unit: "business_days" | "natural_days";
            /**
             * Format: date
             * @description The maximum date once this suspension is counted. Never earlier than `last_day` (moved to the next working day): a term with nothing left when it was suspended ends no earlier than the suspension.
             */
            max_resolution_date_after: string;
        } | {
            /** @enum {string} */
            status: "none";
            /**
             * @description `notified_after_term`: its notification took effect after the maximum term had ended (silence had arisen); `answered_when_notified`: it was answered the day its notification took effect.
             * @enum {string}
             */
            reason: "notified_after_term" | "answered_when_notified";
        } | null;
        /**
         * @example {
         *       "type": "JUB",
         *       "form": {
         *         "applicant": {
         *           "contact": {
         *             "email": "carmen.lopez@example.es",
         *             "phone": "+34612345678"
         *           },
         *           "address": {
         *             "street": "Calle de Alcalá 123, 4º B",
         *             "postal_code": "28009",
         *             "municipality": "Madrid",
         *             "municipality_code": "28079",
         *             "province": "Madrid",
         *             "region": "MD"
         *           },
         *           "iban": "ES9121000418450200051332"
         *         },
         *         "regime": "general",
         *         "modality": "ordinaria",
         *         "requested_start_date": "2026-06-01"
         *       }
         *     }
         */
        CreateProcedureRequest: {
            type: components["schemas"]["ProcedureTypeCode"];
            /** @description The application form of the procedure type; its JSON Schema is at `GET /v1/procedure-types/{code}/form`. Drafts may be incomplete. */
            form?: {
                [key: string]: unknown;
            };
            /** @description For an `RP` (reclamación previa): the procedure whose resolution is contested. */
            original_procedure_id?: string;
        };
        ProcedureList: {
            data: components["schemas"]["ProcedureSummary"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @description A procedure as a list shows it: its state, legal dates and what it still needs. Its contents (the form, the resolution's text and amount, the requirements' messages and answers) are read with `retrieveProcedure` under the client's consent token, which the client's access log records; the text of an act notified electronically (a requirement, a resolution) once its notification has taken effect (opened, or deemed rejected).
         * @example {
         *       "id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *       "object": "procedure",
         *       "livemode": true,
         *       "type": "JUB",
         *       "status": "in_review",
         *       "citizen": {
         *         "id": "cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2",
         *         "id_number": "12345678Z"
         *       },
         *       "delegation_id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "region": "MD",
         *       "original_procedure_id": null,
         *       "registry_entry_number": "REG-2026-00001234",
         *       "managing_body": "INSS",
         *       "submitted_at": "2026-03-02T10:30:00.000Z",
         *       "registered_on": "2026-03-02",
         *       "places": {
         *         "applicant_municipality": "28079",
         *         "office_municipality": "28079"
         *       },
         *       "deadlines": {
         *         "clock": "running",
         *         "max_resolution_date": "2026-07-09",
         *         "presumed_denied_at": null,
         *         "requirement_deadline": null,
         *         "prior_claim_deadline": null,
         *         "awaiting_notification": null,
         *         "basis": {
         *           "max_resolution_date": {
         *             "article": "Ley 39/2015, arts. 21.2–21.3 (plazo máximo) and 30 (cómputo); suspended by a requirement, art. 22.1.a",
         *             "term": {
         *               "value": 90,
         *               "unit": "business_days"
         *             },
         *             "places": [
         *               {
         *                 "role": "applicant",
         *                 "region": "MD",
         *                 "province": "M",
         *                 "municipality": "28079",
         *                 "municipality_name": "Madrid",
         *                 "area": null,
         *                 "local_days_known": true
         *               },
         *               {
         *                 "role": "office",
         *                 "region": "MD",
         *                 "province": "M",
         *                 "municipality": "28079",
         *                 "municipality_name": "Madrid",
         *                 "area": null,
         *                 "local_days_known": true
         *               }
         *             ],
         *             "lowest_confidence": "A",
         *             "provisional": false,
         *             "warnings": []
         *           },
         *           "presumed_denied_at": null,
         *           "requirement_deadline": null,
         *           "prior_claim_deadline": null
         *         },
         *         "unavailable": []
         *       },
         *       "resolution": null,
         *       "requirements": [],
         *       "missing_documents": [],
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "submitted_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T10:20:00.000Z",
         *       "updated_at": "2026-03-03T08:00:00.000Z",
         *       "version": 4
         *     }
         */
        ProcedureSummary: {
            id: string;
            /** @enum {string} */
            object: "procedure";
            livemode: boolean;
            type: components["schemas"]["ProcedureTypeCode"];
            /** @enum {string} */
            status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
            citizen: {
                id: string;
                id_number: string;
            };
            delegation_id: string;
            /**
             * @description Autonomous community (ISO 3166-2:ES), or null.
             * @enum {string|null}
             */
            region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML" | null;
            /** @description The places whose calendars count for this procedure's deadlines (Ley 39/2015, art. 30.6). */
            places: {
                /** @description INE code of the applicant's municipality (from the form's address). */
                applicant_municipality: string | null;
                /** @description INE code of the deciding office's seat: the capital of the applicant's province (Dirección Provincial). */
                office_municipality: string | null;
            };
            original_procedure_id: string | null;
            registry_entry_number: string | null;
            managing_body: components["schemas"]["ManagingBody"];
            submitted_at: string | null;
            /**
             * Format: date
             * @description The day the legal clock counts from (next working day when filed on a non-working day).
             */
            registered_on: string | null;
            deadlines: components["schemas"]["ProcedureDeadlines"];
            /** @description Required document groups with no document yet. */
            missing_documents: {
                any_of: components["schemas"]["DocumentKind"][];
            }[];
            created_by: string;
            submitted_by: string | null;
            created_at: string;
            updated_at: string;
            version: number;
            resolution: {
                /** @enum {string} */
                outcome: "approved" | "partially_approved" | "denied";
                resolved_at: string;
                /** @description The notification that carries it (null for a resolution recorded without one). */
                notification_id: string | null;
            } | null;
            requirements: components["schemas"]["RequirementSummary"][];
        };
        /** @description A requirement as a list shows it: its state and term. Its message and the answer are read with the procedure. */
        RequirementSummary: {
            id: string;
            /** @enum {string} */
            object: "requirement";
            kinds: components["schemas"]["DocumentKind"][];
            /** @description When the agency issued it and made its notification available. */
            notified_at: string;
            notification_id: string | null;
            /**
             * Format: date
             * @description 10 días hábiles (15 with the extension) counted from the day after its notification is opened or deemed rejected (10 días naturales unopened, art. 43.2); null until then.
             */
            deadline: string | null;
            deadline_basis: components["schemas"]["DeadlineBasis"] & unknown;
            /** @enum {string|null} */
            term_starts: "on_access_or_deemed_rejection" | "after_access" | "after_deemed_rejection" | null;
            /**
             * Format: date
             * @description First día counted; null while the term has not started.
             */
            counting_from: string | null;
            /**
             * Format: date
             * @description The day its notification is deemed rejected if nobody opens it by then.
             */
            deemed_rejected_on: string | null;
            extended: boolean;
            suspension: components["schemas"]["RequirementSuspension"];
            /** @enum {string} */
            status: "open" | "answered" | "expired";
            answered_at: string | null;
        };
        /**
         * @example {
         *       "form": {
         *         "applicant": {
         *           "contact": {
         *             "email": "carmen.lopez@example.es",
         *             "phone": "+34612345678"
         *           },
         *           "address": {
         *             "street": "Calle de Alcalá 123, 4º B",
         *             "postal_code": "28009",
         *             "municipality": "Madrid",
         *             "municipality_code": "28079",
         *             "province": "Madrid",
         *             "region": "MD"
         *           },
         *           "iban": "ES9121000418450200051332"
         *         },
         *         "regime": "general",
         *         "modality": "ordinaria",
         *         "requested_start_date": "2026-06-01"
         *       }
         *     }
         */
        UpdateProcedureRequest: {
            /** @description The application form of the procedure type; its JSON Schema is at `GET /v1/procedure-types/{code}/form`. Drafts may be incomplete. */
            form: {
                [key: string]: unknown;
            };
        };
        Timeline: {
            data: components["schemas"]["TimelineEntry"][];
            /** @enum {boolean} */
            has_more: false;
            next_cursor: null;
        };
        TimelineEntry: {
            id: string;
            /** @enum {string} */
            object: "timeline_entry";
            occurred_at: string;
            actor: {
                /** @enum {string} */
                type: "member" | "caseworker" | "citizen" | "system";
                id: string | null;
                name: string | null;
            };
            action: string;
            from_status: string | null;
            to_status: string | null;
            details: {
                [key: string]: unknown;
            };
        };
        /**
         * @example {
         *       "message": "Adjuntamos el certificado de empresa solicitado."
         *     }
         */
        RequirementResponseRequest: {
            /** @description Explanation for the caseworker: with an answer, kept as the requirement's `response_message`; with `request_extension`, why more time is needed, kept in the `requirement_extended` timeline entry. */
            message?: string;
            /** @description Ask once for 5 more días hábiles instead of answering now. */
            request_extension?: boolean;
        };
        /**
         * @example {
         *       "id": "doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *       "object": "document",
         *       "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *       "kind": "DNI_NIE",
         *       "filename": "dni-carmen-lopez.pdf",
         *       "content_type": "application/pdf",
         *       "size_bytes": 182311,
         *       "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
         *       "requirement_id": null,
         *       "uploaded_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T10:25:00.000Z"
         *     }
         */
        Document: {
            id: string;
            /** @enum {string} */
            object: "document";
            procedure_id: string;
            kind: components["schemas"]["DocumentKind"];
            filename: string;
            /** @enum {string} */
            content_type: "application/pdf" | "image/png" | "image/jpeg";
            size_bytes: number;
            /** @description Hex SHA-256 of the exact bytes stored; shown on the filing receipt. */
            sha256: string;
            /** @description The requirement this document answers, if uploaded while one was open. */
            requirement_id: string | null;
            uploaded_by: string | null;
            created_at: string;
        };
        UploadDocumentRequest: {
            kind: components["schemas"]["DocumentKind"];
            /**
             * Format: binary
             * @description PDF, PNG or JPEG; checked by content, not by name. Size cap per procedure type.
             */
            file: Blob;
        };
        DocumentList: {
            data: components["schemas"]["Document"][];
            /** @enum {boolean} */
            has_more: false;
            next_cursor: null;
        };
        AgencyProcedureQueue: {
            data: components["schemas"]["Procedure"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *       "object": "procedure",
         *       "livemode": true,
         *       "type": "JUB",
         *       "status": "in_review",
         *       "citizen": {
         *         "id": "cit_9Zx8Yw7Vu6Ts5Rq4Po3Nm2",
         *         "id_number": "12345678Z"
         *       },
         *       "delegation_id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "form": {
         *         "applicant": {
         *           "contact": {
         *             "email": "carmen.lopez@example.es",
         *             "phone": "+34612345678"
         *           },
         *           "address": {
         *             "street": "Calle de Alcalá 123, 4º B",
         *             "postal_code": "28009",
         *             "municipality": "Madrid",
         *             "municipality_code": "28079",
         *             "province": "Madrid",
         *             "region": "MD"
         *           },
         *           "iban": "ES9121000418450200051332"
         *         },
         *         "regime": "general",
         *         "modality": "ordinaria",
         *         "requested_start_date": "2026-06-01"
         *       },
         *       "region": "MD",
         *       "original_procedure_id": null,
         *       "registry_entry_number": "REG-2026-00001234",
         *       "managing_body": "INSS",
         *       "submitted_at": "2026-03-02T10:30:00.000Z",
         *       "registered_on": "2026-03-02",
         *       "places": {
         *         "applicant_municipality": "28079",
         *         "office_municipality": "28079"
         *       },
         *       "deadlines": {
         *         "clock": "running",
         *         "max_resolution_date": "2026-07-09",
         *         "presumed_denied_at": null,
         *         "requirement_deadline": null,
         *         "prior_claim_deadline": null,
         *         "awaiting_notification": null,
         *         "basis": {
         *           "max_resolution_date": {
         *             "article": "Ley 39/2015, arts. 21.2–21.3 (plazo máximo) and 30 (cómputo); suspended by a requirement, art. 22.1.a",
         *             "term": {
         *               "value": 90,
         *               "unit": "business_days"
         *             },
         *             "places": [
         *               {
         *                 "role": "applicant",
         *                 "region": "MD",
         *                 "province": "M",
         *                 "municipality": "28079",
         *                 "municipality_name": "Madrid",
         *                 "area": null,
         *                 "local_days_known": true
         *               },
         *               {
         *                 "role": "office",
         *                 "region": "MD",
         *                 "province": "M",
         *                 "municipality": "28079",
         *                 "municipality_name": "Madrid",
         *                 "area": null,
         *                 "local_days_known": true
         *               }
         *             ],
         *             "lowest_confidence": "A",
         *             "provisional": false,
         *             "warnings": []
         *           },
         *           "presumed_denied_at": null,
         *           "requirement_deadline": null,
         *           "prior_claim_deadline": null
         *         },
         *         "unavailable": []
         *       },
         *       "resolution": null,
         *       "requirements": [],
         *       "missing_documents": [],
         *       "created_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "submitted_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T10:20:00.000Z",
         *       "updated_at": "2026-03-03T08:00:00.000Z",
         *       "version": 4,
         *       "documents": [
         *         {
         *           "id": "doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *           "object": "document",
         *           "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *           "kind": "DNI_NIE",
         *           "filename": "dni-carmen-lopez.pdf",
         *           "content_type": "application/pdf",
         *           "size_bytes": 182311,
         *           "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
         *           "requirement_id": null,
         *           "uploaded_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *           "created_at": "2026-03-02T10:25:00.000Z"
         *         }
         *       ]
         *     }
         */
        AgencyProcedure: components["schemas"]["Procedure"] & {
            documents: components["schemas"]["Document"][];
        };
        /**
         * @example {
         *       "kinds": [
         *         "COMPANY_CERT"
         *       ],
         *       "message": "Falta el certificado de empresa con la fecha de cese en la actividad. Aporte el documento firmado por la empresa."
         *     }
         */
        IssueRequirementRequest: {
            /** @description Missing or defective document kinds. */
            kinds: components["schemas"]["DocumentKind"][];
            message: string;
        };
        AgencyActRequest: {
            /** @description The act as notified; a standard text citing the article when omitted. */
            text?: string;
        };
        /**
         * @example {
         *       "outcome": "approved",
         *       "text": "Se reconoce el derecho a la pensión de jubilación con efectos desde el 1 de junio de 2026.",
         *       "amount": 1456.32
         *     }
         */
        ResolveProcedureRequest: {
            /** @enum {string} */
            outcome: "approved" | "partially_approved" | "denied";
            /** @description The resolution as notified. */
            text: string;
            /** @description Monthly amount in euros, when granted; at most two decimals. */
            amount?: number;
        };
        NotificationList: {
            data: components["schemas"]["Notification"][];
            /** @enum {boolean} */
            has_more: false;
            next_cursor: null;
        };
        /**
         * @example {
         *       "id": "ntf_4Rt6Yu8Io0Pa2Sd4Fg6Hj8",
         *       "object": "notification",
         *       "livemode": true,
         *       "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *       "kind": "requirement",
         *       "requirement_id": "req_1Qa3Ws5Ed7Rf9Tg1Yh3Uj5",
         *       "status": "available",
         *       "made_available_at": "2026-03-10T09:00:00.000Z",
         *       "deemed_rejected_on": "2026-03-20",
         *       "accessed_at": null,
         *       "accessed_by_member_id": null,
         *       "deemed_rejected_at": null,
         *       "term": {
         *         "basis": "requirement",
         *         "article": "Ley 39/2015, arts. 68.1 y 43.2",
         *         "starts": "on_access_or_deemed_rejection",
         *         "counting_from": null,
         *         "deadline": null
         *       },
         *       "content": null
         *     }
         */
        Notification: {
            id: string;
            /** @enum {string} */
            object: "notification";
            livemode: boolean;
            procedure_id: string;
            /** @enum {string} */
            kind: "requirement" | "resolution" | "withdrawal_declaration" | "lapse_warning" | "lapse_declaration";
            requirement_id: string | null;
            /**
             * @description `deemed_rejected` once 10 días naturales passed unopened (art. 43.2): the term runs all the same, from the next day.
             * @enum {string}
             */
            status: "available" | "accessed" | "deemed_rejected";
            made_available_at: string;
            /**
             * Format: date
             * @description The day it is deemed rejected if not opened by then (null only when that year has no holiday data).
             */
            deemed_rejected_on: string | null;
            /** @description First opening by a member (it is recorded in the citizen's access log). */
            accessed_at: string | null;
            accessed_by_member_id: string | null;
            /** @description When Puente recorded the deemed rejection. */
            deemed_rejected_at: string | null;
            term: components["schemas"]["NotificationTerm"];
            /** @description The act as notified; null until the notification takes effect (opened, or deemed rejected). */
            content: {
                [key: string]: unknown;
            } | null;
        };
        /** @description The term this act opens; null for acts that open none Puente tracks (an approval; the denial of a reclamación previa, contested in court). */
        NotificationTerm: {
            /**
             * @description `requirement`: 10 días hábiles to cure it (15 with the extension); `prior_claim`: 30 días hábiles to file a reclamación previa; `lapse_warning`: the three months after which caducidad may be declared.
             * @enum {string}
             */
            basis: "requirement" | "prior_claim" | "lapse_warning";
            article: string;
            /**
             * @description `on_access_or_deemed_rejection` while the notification is neither opened nor deemed rejected: the term is not running yet and `deadline` is null.
             * @enum {string}
             */
            starts: "on_access_or_deemed_rejection" | "after_access" | "after_deemed_rejection";
            /**
             * Format: date
             * @description First day counted: the day after the opening or the deemed rejection.
             */
            counting_from: string | null;
            /**
             * Format: date
             * @description Last day of the term; null until it starts running.
             */
            deadline: string | null;
        } | null;
        EventList: {
            data: components["schemas"]["Event"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get what came after this page. Unlike other lists, kept on the last page too: poll with it to get only what is new (null only while the feed is empty). Opaque and sealed, valid only for this feed (organisation and mode): store it as it is. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "object": "event",
         *       "type": "procedure.status_changed",
         *       "livemode": true,
         *       "created_at": "2026-03-10T09:00:00.000Z",
         *       "timestamp": "2026-03-10T09:00:00.000Z",
         *       "data": {
         *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *         "type": "JUB",
         *         "previous_status": "in_review",
         *         "status": "action_required"
         *       }
         *     }
         */
        Event: {
            id: string;
            /** @enum {string} */
            object: "event";
            type: string;
            livemode: boolean;
            created_at: string;
            /** @description When it happened, ISO 8601 UTC: the `timestamp` of the webhook body (the same instant as `created_at`). */
            timestamp: string;
            /** @description Ids and the new state; fetch the resource for the rest. */
            data: {
                [key: string]: unknown;
            };
        };
        /**
         * @example {
         *       "id": "whe_2Bn4Mq6Wr8Ty0Ui2Op4As6",
         *       "object": "webhook_endpoint",
         *       "livemode": true,
         *       "url": "https://expedientes.gestoriamartinez.es/hooks/puente",
         *       "description": "Sincronización del gestor de expedientes",
         *       "event_types": [
         *         "procedure.*",
         *         "delegation.revoked"
         *       ],
         *       "enabled": true,
         *       "disabled_reason": null,
         *       "disabled_at": null,
         *       "secret_rotation": null,
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "updated_at": "2026-03-02T09:00:00.000Z",
         *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6bQ0O0ea8Qg="
         *     }
         */
        WebhookEndpointWithSecret: components["schemas"]["WebhookEndpoint"] & {
            /** @description The signing secret (`whsec_…`). Shown when created or rotated only. */
            secret: string;
        };
        /**
         * @example {
         *       "id": "whe_2Bn4Mq6Wr8Ty0Ui2Op4As6",
         *       "object": "webhook_endpoint",
         *       "livemode": true,
         *       "url": "https://expedientes.gestoriamartinez.es/hooks/puente",
         *       "description": "Sincronización del gestor de expedientes",
         *       "event_types": [
         *         "procedure.*",
         *         "delegation.revoked"
         *       ],
         *       "enabled": true,
         *       "disabled_reason": null,
         *       "disabled_at": null,
         *       "secret_rotation": null,
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "updated_at": "2026-03-02T09:00:00.000Z"
         *     }
         */
        WebhookEndpoint: {
            id: string;
            /** @enum {string} */
            object: "webhook_endpoint";
            livemode: boolean;
            url: string;
            description: string | null;
            /** @description Types delivered (`procedure.*` matches a family); empty means every type. */
            event_types: string[];
            enabled: boolean;
            /** @description Why Puente disabled it (it answered 410); null while enabled, or when disabled by a change. */
            disabled_reason: string | null;
            /** @description When it was disabled; null while enabled. Nothing is queued for a disabled endpoint, and enabling it again does not send what it missed: read the events created from this time on in the feed (`GET /v1/events`). */
            disabled_at: string | null;
            /** @description While secrets rotated out still sign (each adds a signature to `webhook-signature`); null when only the current one does. */
            secret_rotation: {
                /** @description When the last secret rotated out stops signing. */
                previous_secret_valid_until: string;
                /** @description Every secret rotated out that still signs, newest first, with its end. */
                previous_secrets: {
                    valid_until: string;
                }[];
            } | null;
            created_at: string;
            updated_at: string;
        };
        /**
         * @example {
         *       "url": "https://expedientes.gestoriamartinez.es/hooks/puente",
         *       "description": "Sincronización del gestor de expedientes",
         *       "event_types": [
         *         "procedure.*",
         *         "delegation.revoked"
         *       ]
         *     }
         */
        CreateWebhookEndpointRequest: {
            /** @example https://expedientes.gestoriamartinez.es/hooks/puente */
            url: string;
            description?: string;
            /** @description Types to deliver; omit or leave empty for every type. */
            event_types?: string[];
        };
        WebhookEndpointList: {
            data: components["schemas"]["WebhookEndpoint"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "enabled": true,
         *       "event_types": [
         *         "procedure.*"
         *       ]
         *     }
         */
        UpdateWebhookEndpointRequest: {
            url?: string;
            description?: string | null;
            event_types?: string[];
            enabled?: boolean;
        };
        /**
         * @example {
         *       "previous_secret_valid_seconds": 3600
         *     }
         */
        RotateWebhookSecretRequest: {
            /** @description How long the secret replaced keeps signing beside the new one (default 86400, 24 hours). `0` stops it, and every secret rotated out before it, at once: use it when a secret has leaked. */
            previous_secret_valid_seconds?: number;
        };
        /**
         * @example {
         *       "id": "whd_8Kj6Hg4Fd2Sa0Po8Iu6Yt4",
         *       "object": "webhook_delivery",
         *       "endpoint_id": "whe_2Bn4Mq6Wr8Ty0Ui2Op4As6",
         *       "event_id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
         *       "event_type": "procedure.status_changed",
         *       "status": "succeeded",
         *       "attempts": [
         *         {
         *           "attempted_at": "2026-03-02T10:30:01.000Z",
         *           "status_code": 200,
         *           "latency_ms": 84,
         *           "error": null
         *         }
         *       ],
         *       "next_attempt_at": null,
         *       "delivered_at": "2026-03-02T10:30:01.000Z",
         *       "created_at": "2026-03-02T10:30:00.000Z"
         *     }
         */
        WebhookDelivery: {
            id: string;
            /** @enum {string} */
            object: "webhook_delivery";
            endpoint_id: string;
            event_id: string;
            event_type: string;
            /** @enum {string} */
            status: "pending" | "succeeded" | "failed" | "exhausted";
            attempts: {
                attempted_at: string;
                status_code: number | null;
                latency_ms: number;
                error: string | null;
            }[];
            next_attempt_at: string | null;
            delivered_at: string | null;
            created_at: string;
        };
        WebhookDeliveryList: {
            data: components["schemas"]["WebhookDelivery"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "action": "require",
         *       "kinds": [
         *         "COMPANY_CERT"
         *       ],
         *       "message": "Falta el certificado de empresa."
         *     }
         */
        SandboxAdvanceRequest: {
            /** @enum {string} */
            action: "admit" | "require" | "approve" | "partially_approve" | "deny" | "declare_withdrawal" | "warn_lapse" | "declare_lapse";
            /** @description For `require`: the document kinds (default OTHER). */
            kinds?: components["schemas"]["DocumentKind"][];
            /** @description The requirement's, resolution's or declaration's text. */
            message?: string;
            /** @description The resolution's monthly amount in euros; at most two decimals. */
            amount?: number;
        };
        /**
         * @example {
         *       "confirm_withdraw": true
         *     }
         */
        AcceptMyDelegationRequestRequest: {
            /** @description The citizen's express consent to the `withdraw` capacity (desisting from or renouncing applications on their behalf), given apart from the rest of the scope. Required, as `true`, when the request asks for `withdraw`; ignored otherwise. */
            confirm_withdraw?: boolean;
        };
        MyProcedureList: {
            data: components["schemas"]["MyProcedureSummary"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        MyProcedureSummary: {
            id: string;
            /** @enum {string} */
            object: "my_procedure";
            livemode: boolean;
            type: components["schemas"]["ProcedureTypeCode"];
            /** @enum {string} */
            status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
            handled_by: components["schemas"]["HandledBy"];
            registry_entry_number: string | null;
            managing_body: components["schemas"]["ManagingBody"];
            submitted_at: string | null;
            /** Format: date */
            registered_on: string | null;
            deadlines: components["schemas"]["ProcedureDeadlines"];
            resolution: {
                /** @enum {string} */
                outcome: "approved" | "partially_approved" | "denied";
                resolved_at: string;
                /** @description The notification that carries it (null for a resolution recorded without one). */
                notification_id: string | null;
                /** @description The resolution as notified; null while `content_withheld`. */
                text: string | null;
                /** @description The amount granted, in euros; null when none is (a denial), or while `content_withheld`. */
                amount: number | null;
                /** @description True until the resolution's notification takes effect: its text and amount are shown once the notification has taken effect: opened with `POST /v1/procedures/{id}/notifications/{notification_id}/access` (the legal access, art. 43.2 LPAC, which starts its term and is recorded in the client's access log), or deemed rejected after 10 días naturales unopened. Always false in the agency's responses: the agency issued the act. Its outcome is the procedure's status, shown all along. */
                content_withheld: boolean;
            } | null;
            created_at: string;
            updated_at: string;
        };
        HandledBy: {
            organization: {
                id: string;
                legal_name: string;
                /** @enum {string} */
                kind: "gestoria" | "graduado_social" | "law_firm" | "third_sector";
            };
            delegation: {
                id: string;
                /**
                 * @description Today's status: a procedure stays in the citizen's history after the delegation ends.
                 * @enum {string}
                 */
                status: "active" | "revoked" | "renounced" | "expired" | "suspended";
            };
        };
        MyProcedure: {
            id: string;
            /** @enum {string} */
            object: "my_procedure";
            livemode: boolean;
            type: components["schemas"]["ProcedureTypeCode"];
            /** @enum {string} */
            status: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
            handled_by: components["schemas"]["HandledBy"];
            registry_entry_number: string | null;
            managing_body: components["schemas"]["ManagingBody"];
            submitted_at: string | null;
            /** Format: date */
            registered_on: string | null;
            deadlines: components["schemas"]["ProcedureDeadlines"];
            resolution: {
                /** @enum {string} */
                outcome: "approved" | "partially_approved" | "denied";
                resolved_at: string;
                /** @description The notification that carries it (null for a resolution recorded without one). */
                notification_id: string | null;
                /** @description The resolution as notified; null while `content_withheld`. */
                text: string | null;
                /** @description The amount granted, in euros; null when none is (a denial), or while `content_withheld`. */
                amount: number | null;
                /** @description True until the resolution's notification takes effect: its text and amount are shown once the notification has taken effect: opened with `POST /v1/procedures/{id}/notifications/{notification_id}/access` (the legal access, art. 43.2 LPAC, which starts its term and is recorded in the client's access log), or deemed rejected after 10 días naturales unopened. Always false in the agency's responses: the agency issued the act. Its outcome is the procedure's status, shown all along. */
                content_withheld: boolean;
            } | null;
            created_at: string;
            updated_at: string;
            requirements: components["schemas"]["Requirement"][];
            open_requirement: {
                id: string;
                kinds: components["schemas"]["DocumentKind"][];
                /** @description Kinds asked for with no document uploaded for this requirement yet. */
                missing_kinds: components["schemas"]["DocumentKind"][];
                /** @description What the agency asks; null until the notification that carries it takes effect (your representative opens it, or 10 días naturales pass unopened). */
                message: string | null;
                /** @description True until the notification takes effect: opened (the legal access, art. 43.2 LPAC) or deemed rejected; the term starts the day after. */
                content_withheld: boolean;
                notified_at: string;
                /**
                 * Format: date
                 * @description Null until the representative opens the notification or it is deemed rejected (10 natural days): the term runs from the day after.
                 */
                deadline: string | null;
                /**
                 * @description When the term starts: `on_access_or_deemed_rejection` while the notification is unopened (the day after it is opened, or the day after `deemed_rejected_on`), `after_access` or `after_deemed_rejection` once it has taken effect.
                 * @enum {string|null}
                 */
                term_starts: "on_access_or_deemed_rejection" | "after_access" | "after_deemed_rejection" | null;
                /**
                 * Format: date
                 * @description The day the notification is deemed rejected if nobody opens it by then (made available on D: D + 10 días naturales, moved to the next working day when that day is not one, art. 43.2 and 30.5 LPAC).
                 */
                deemed_rejected_on: string | null;
                extended: boolean;
            } | null;
            legal_dates: components["schemas"]["LegalDate"][];
            documents: components["schemas"]["MyDocument"][];
            timeline: components["schemas"]["TimelineEntry"][];
            /** @description The filing receipt (PDF) once filed. */
            receipt_url: string | null;
        };
        LegalDate: {
            /**
             * @description `registered`: the day the legal clock counts from. `resolve_by`: the body must resolve and notify by `date`; `silence` says what happens if it does not. `prior_claim_if_silent`: last day for a reclamación previa should that date pass unresolved. `clock_suspended`: a requirement is open; it must be answered by `date`. `presumed_denied` / `presumed_approved`: silence applied on `date`. `prior_claim_until`: last day for a reclamación previa. `dates_unknown`: no holiday data yet for the years concerned. `court_claim` (no date): a reclamación previa was denied, expressly or by silence; what follows is a claim before the social court, whose term Puente does not count. `lapse_warned_unopened`: the body warned that the procedure, halted by the applicant, may lapse (caducidad, Ley 39/2015 art. 95.1), and the warning's notification has not been opened: `date` is the day it is deemed rejected if nobody opens it; its three months count from the day after it is opened or deemed rejected. `lapse_declarable_from`: under that warning, the first day the body may declare caducidad (the day after the three months, counted date to date, art. 30.4), unless the representative acts on the procedure before. Both only while the warning stands: the procedure runs and the representative has not acted since it was issued.
             * @enum {string}
             */
            code: "not_filed" | "registered" | "resolve_by" | "prior_claim_if_silent" | "clock_suspended" | "presumed_denied" | "presumed_approved" | "prior_claim_until" | "dates_unknown" | "court_claim" | "lapse_warned_unopened" | "lapse_declarable_from";
            /**
             * Format: date
             * @description A Europe/Madrid legal day, from the same deadline code as `deadlines`.
             */
            date: string | null;
            /** @enum {string|null} */
            silence: "negative" | "positive" | null;
        };
        /**
         * @example {
         *       "id": "doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
         *       "object": "document",
         *       "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
         *       "kind": "DNI_NIE",
         *       "filename": "dni-carmen-lopez.pdf",
         *       "content_type": "application/pdf",
         *       "size_bytes": 182311,
         *       "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
         *       "requirement_id": null,
         *       "uploaded_by": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *       "created_at": "2026-03-02T10:25:00.000Z",
         *       "download_url": "/v1/me/procedures/prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0/documents/doc_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8/content"
         *     }
         */
        MyDocument: components["schemas"]["Document"] & {
            /** @description The citizen's own download of the exact bytes (logged in their access log). */
            download_url: string;
        };
        AccessLogList: {
            data: components["schemas"]["AccessLogEntry"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "id": "acl_2Ws4Ed6Rf8Tg0Yh2Uj4Ik6",
         *       "object": "access_log_entry",
         *       "occurred_at": "2026-03-02T10:15:03.000Z",
         *       "actor": "organization",
         *       "organization": {
         *         "id": "org_4mT9sQ2xPz8LkV1bN7cW3d",
         *         "legal_name": "Gestoría Martínez y Asociados S.L."
         *       },
         *       "agency": null,
         *       "member": {
         *         "id": "mem_8Fq2LwP0sZ4nR7tY1xB5cV",
         *         "name": "Lucía Martínez Pardo"
         *       },
         *       "delegation_id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7",
         *       "livemode": true,
         *       "action": "consent_token.minted",
         *       "resource": {
         *         "type": "delegation",
         *         "id": "dlg_3Gh5Jk7Lm9Np1Qr3St5Uv7"
         *       },
         *       "request_id": "rid_3kTMd9Qx1uWv8ZbNcE4fGh"
         *     }
         */
        AccessLogEntry: {
            id: string;
            /** @enum {string} */
            object: "access_log_entry";
            occurred_at: string;
            /**
             * @description `citizen` when the citizen themself downloaded a document or receipt of their own procedure; `agency` when a caseworker of the body that decides the procedure read it (`agency` says which); in both cases `organization` is the one holding the procedure.
             * @enum {string}
             */
            actor: "organization" | "citizen" | "agency";
            organization: {
                id: string;
                legal_name: string;
            };
            /** @description The body and office whose caseworker read (agency entries only). */
            agency: {
                managing_body: components["schemas"]["ManagingBody"];
                office: string;
            } | null;
            /** @description The professional who acted. */
            member: {
                id: string;
                name: string;
            } | null;
            delegation_id: string | null;
            livemode: boolean;
            /** @description What was done, e.g. `consent_token.minted`, `procedure.read`, `procedure.submitted`. */
            action: string;
            resource: {
                type: string;
                id: string;
            } | null;
            request_id: string | null;
        };
        AvisoList: {
            data: components["schemas"]["Aviso"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        Aviso: {
            id: string;
            /** @enum {string} */
            object: "aviso";
            livemode: boolean;
            /** @enum {string} */
            kind: "delegation_request" | "delegation_granted" | "delegation_revoked" | "delegation_renounced" | "delegation_expiring" | "filing" | "requirement" | "resolution" | "presumed_denial" | "deemed_rejection_warning" | "contact_confirmation";
            channel: components["schemas"]["AvisoChannel"];
            /** @description The address or number it went to. */
            recipient: string;
            /**
             * @description `citizen`: the citizen's own confirmed contact; `request`: the contact a firm gave on that delegation request (used for its aviso only); `confirmation`: a new contact being confirmed.
             * @enum {string}
             */
            recipient_source: "citizen" | "request" | "confirmation";
            /** @enum {string} */
            language: "es" | "en";
            subject: string;
            /** @enum {string} */
            status: "pending" | "sent" | "failed" | "cancelled";
            attempts: components["schemas"]["AvisoAttempt"][];
            next_attempt_at: string | null;
            sent_at: string | null;
            created_at: string;
        };
        /** @enum {string} */
        AvisoChannel: "email" | "sms";
        AvisoAttempt: {
            attempt: number;
            at: string;
            /** @enum {string} */
            outcome: "accepted" | "failed" | "cancelled";
            /** @description The receiving server's answer, or why it failed. */
            detail: string | null;
        };
        AvisoSettings: {
            /** @enum {string} */
            object: "aviso_settings";
            /** @enum {string} */
            language: "es" | "en";
            channels: components["schemas"]["AvisoChannel"][];
            /** @description The kinds of aviso the citizen wants. */
            kinds: components["schemas"]["AvisoKind"][];
            email: {
                /** @description The confirmed address or number; null when none. */
                value: string | null;
                confirmed_at: string | null;
                /** @description A contact waiting for the code sent to it. */
                pending: {
                    value: string;
                    expires_at: string;
                } | null;
            };
            phone: {
                /** @description The confirmed address or number; null when none. */
                value: string | null;
                confirmed_at: string | null;
                /** @description A contact waiting for the code sent to it. */
                pending: {
                    value: string;
                    expires_at: string;
                } | null;
            };
            updated_at: string | null;
        };
        /**
         * @description What an aviso is about: a delegation request awaiting the citizen; a delegation granted, revoked, renounced or ending within 30 days; a filing made; a requirement (when made available, and its deadline once known); a resolution; a presumed denial (with the reclamación previa deadline); a notification three days before it counts as rejected.
         * @enum {string}
         */
        AvisoKind: "delegation_request" | "delegation_granted" | "delegation_revoked" | "delegation_renounced" | "delegation_expiring" | "filing" | "requirement" | "resolution" | "presumed_denial" | "deemed_rejection_warning";
        UpdateAvisoSettings: {
            /** @enum {string} */
            language: "es" | "en";
            channels: components["schemas"]["AvisoChannel"][];
            kinds: components["schemas"]["AvisoKind"][];
        };
        StartContactConfirmation: {
            /** @example carmen.lopez@example.es */
            value: string;
        };
        ConfirmContact: {
            /** @example 482913 */
            code: string;
        };
        CalendarChange: {
            id: string;
            /** @enum {string} */
            object: "calendar_change";
            occurred_at: string;
            actor: string;
            reason: string;
            year: number;
            /** @enum {string} */
            scope: "year" | "national" | "region" | "area" | "municipality";
            code: string | null;
            /** @enum {string} */
            mode: "replace" | "add";
            before_count: number;
            after_count: number;
            before: {
                date: string;
                /** @enum {string} */
                kind: "holiday" | "not_holiday";
                name: string;
                source: string;
                confidence: components["schemas"]["Confidence"];
                partial: boolean;
                conflict: boolean;
            }[];
            after: {
                date: string;
                /** @enum {string} */
                kind: "holiday" | "not_holiday";
                name: string;
                source: string;
                confidence: components["schemas"]["Confidence"];
                partial: boolean;
                conflict: boolean;
            }[];
            calendar_version: number;
            /** @description Procedures whose stored dates moved (each got a timeline entry and its organisation a `calendar.holidays_changed` event). */
            procedures_recomputed: number;
        };
        /**
         * @example {
         *       "provisional": false,
         *       "source": "Resolución de la Dirección General de Trabajo, BOE-A-2025-21667 (BOE 28-10-2025)",
         *       "confidence": "A",
         *       "national_days": [
         *         {
         *           "date": "2026-01-01",
         *           "name": "Año Nuevo",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-01-06",
         *           "name": "Epifanía del Señor",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-04-03",
         *           "name": "Viernes Santo",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-05-01",
         *           "name": "Fiesta del Trabajo",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-08-15",
         *           "name": "Asunción de la Virgen",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-10-12",
         *           "name": "Fiesta Nacional de España",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-12-08",
         *           "name": "Inmaculada Concepción",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         },
         *         {
         *           "date": "2026-12-25",
         *           "name": "Natividad del Señor",
         *           "source": "BOE-A-2025-21667",
         *           "confidence": "A"
         *         }
         *       ],
         *       "reason": "Publicación del calendario oficial de 2026."
         *     }
         */
        ReplaceCalendarYearRequest: {
            /** @description True until the year's calendar is published officially. */
            provisional: boolean;
            source: string;
            confidence: components["schemas"]["Confidence"];
            note?: string;
            national_days: {
                /**
                 * Format: date
                 * @example 2026-03-27
                 */
                date: string;
                name: string;
                /** @description Where the day is published (bulletin, order, date). */
                source: string;
                confidence: components["schemas"]["Confidence"];
                /**
                 * @description `not_holiday` (islands and territories only) lifts a community day there, as Val d'Aran does with 26 December.
                 * @default holiday
                 * @enum {string}
                 */
                kind: "holiday" | "not_holiday";
                /** @default false */
                partial: boolean;
                /** @default false */
                conflict: boolean;
            }[];
            /**
             * @description Why the change is made (recorded with it).
             * @example Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026.
             */
            reason: string;
        };
        ReplaceHolidaysRequest: {
            days: {
                /**
                 * Format: date
                 * @example 2026-03-27
                 */
                date: string;
                name: string;
                /** @description Where the day is published (bulletin, order, date). */
                source: string;
                confidence: components["schemas"]["Confidence"];
                /**
                 * @description `not_holiday` (islands and territories only) lifts a community day there, as Val d'Aran does with 26 December.
                 * @default holiday
                 * @enum {string}
                 */
                kind: "holiday" | "not_holiday";
                /** @default false */
                partial: boolean;
                /** @default false */
                conflict: boolean;
            }[];
            /**
             * @description Why the change is made (recorded with it).
             * @example Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026.
             */
            reason: string;
        };
        AddHolidaysRequest: {
            days: {
                /**
                 * Format: date
                 * @example 2026-03-27
                 */
                date: string;
                name: string;
                /** @description Where the day is published (bulletin, order, date). */
                source: string;
                confidence: components["schemas"]["Confidence"];
                /**
                 * @description `not_holiday` (islands and territories only) lifts a community day there, as Val d'Aran does with 26 December.
                 * @default holiday
                 * @enum {string}
                 */
                kind: "holiday" | "not_holiday";
                /** @default false */
                partial: boolean;
                /** @default false */
                conflict: boolean;
            }[];
            /**
             * @description Why the change is made (recorded with it).
             * @example Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026.
             */
            reason: string;
        };
        ReplaceMunicipalityHolidaysRequest: {
            days: {
                /**
                 * Format: date
                 * @example 2026-03-27
                 */
                date: string;
                name: string;
                /** @description Where the day is published (bulletin, order, date). */
                source: string;
                confidence: components["schemas"]["Confidence"];
                /**
                 * @description `not_holiday` (islands and territories only) lifts a community day there, as Val d'Aran does with 26 December.
                 * @default holiday
                 * @enum {string}
                 */
                kind: "holiday" | "not_holiday";
                /** @default false */
                partial: boolean;
                /** @default false */
                conflict: boolean;
            }[];
            /**
             * @description Why the change is made (recorded with it).
             * @example Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026.
             */
            reason: string;
            /**
             * @description False when some of the municipality's local days of the year are still missing.
             * @default true
             */
            complete: boolean;
            note?: string;
        };
        CalendarChangeList: {
            data: components["schemas"]["CalendarChange"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        OrganizationList: {
            data: components["schemas"]["Organization"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @example {
         *       "verified_by": "ops@puente.es",
         *       "note": "Colegiación 2841 comprobada en el censo del Colegio de Gestores de Madrid."
         *     }
         */
        VerifyOrganizationRequest: {
            /**
             * @description Who checked the evidence.
             * @example ops@puente.es
             */
            verified_by: string;
            /**
             * @description The evidence checked.
             * @example Colegiación 2841 comprobada en el censo del Colegio de Gestores de Madrid.
             */
            note: string;
        };
        /**
         * @example {
         *       "reason": "Baja como ejerciente comunicada por el Colegio."
         *     }
         */
        SuspendOrganizationRequest: {
            /** @example Baja como ejerciente comunicada por el Colegio. */
            reason: string;
        };
        /**
         * @example {
         *       "object": "signing_key_rotation",
         *       "purpose": "consent",
         *       "kid": "ck_20260302_aBcDeFgH",
         *       "previous_kid_still_published": true
         *     }
         */
        SigningKeyRotation: {
            /** @enum {string} */
            object: "signing_key_rotation";
            /** @enum {string} */
            purpose: "consent";
            kid: string;
            previous_kid_still_published: boolean;
        };
        /**
         * @example {
         *       "livemode": true,
         *       "verified_by": "ops@puente.es",
         *       "note": "Solicitud firmada con certificado FNMT del titular; DNI coincide con el del propietario."
         *     }
         */
        IssueOwnerKeyRequest: {
            /** @description Default false. A live key needs a verified organisation. */
            livemode?: boolean;
            /**
             * @description Who checked the owner's identity.
             * @example ops@puente.es
             */
            verified_by: string;
            /**
             * @description What was checked, and how the owner asked.
             * @example Solicitud firmada con certificado FNMT del titular; DNI coincide con el del propietario.
             */
            note: string;
        };
        /**
         * @example {
         *       "id": "agk_5Jd8Qw1Rt4Yu7Io0Pa3SdF",
         *       "object": "agency_key",
         *       "managing_body": "INSS",
         *       "office": "Dirección Provincial del INSS de Madrid",
         *       "region": null,
         *       "display_prefix": "ak_live_Qm4x…7Lp2",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "last_used_at": null,
         *       "revoked_at": null,
         *       "secret": "ak_live_Qm4xR8tV2yB6nM0kJ4hG8fD2sA6pO0iU4yT8rE2w7Lp2"
         *     }
         */
        AgencyKeyWithSecret: {
            id: string;
            /** @enum {string} */
            object: "agency_key";
            managing_body: components["schemas"]["ManagingBody"];
            office: string;
            /**
             * @description The community whose procedures the key may see and act on (the applicant's, as on the procedure). Required for a regional body's key (`CCAA`), which decides only its own community's procedures; optional for the others, to limit an office to its community.
             * @enum {string|null}
             */
            region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML" | null;
            display_prefix: string;
            created_at: string;
            last_used_at: string | null;
            revoked_at: string | null;
            /** @description Shown once. */
            secret: string;
        };
        /**
         * @example {
         *       "managing_body": "INSS",
         *       "office": "Dirección Provincial del INSS de Madrid"
         *     }
         */
        CreateAgencyKeyRequest: {
            managing_body: components["schemas"]["ManagingBody"];
            /** @example Dirección Provincial del INSS de Madrid */
            office: string;
            region?: components["schemas"]["Region"] & unknown;
        };
        AgencyKeyList: {
            data: components["schemas"]["AgencyKey"][];
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @description A back-office key of a managing body. Its secret is shown only when it is issued.
         * @example {
         *       "id": "agk_5Jd8Qw1Rt4Yu7Io0Pa3SdF",
         *       "object": "agency_key",
         *       "managing_body": "INSS",
         *       "office": "Dirección Provincial del INSS de Madrid",
         *       "region": null,
         *       "display_prefix": "ak_live_Qm4x…7Lp2",
         *       "created_at": "2026-03-02T09:00:00.000Z",
         *       "last_used_at": null,
         *       "revoked_at": null
         *     }
         */
        AgencyKey: {
            id: string;
            /** @enum {string} */
            object: "agency_key";
            managing_body: components["schemas"]["ManagingBody"];
            office: string;
            /**
             * @description The community whose procedures the key may see and act on (the applicant's, as on the procedure). Required for a regional body's key (`CCAA`), which decides only its own community's procedures; optional for the others, to limit an office to its community.
             * @enum {string|null}
             */
            region: "AN" | "AR" | "AS" | "CN" | "CB" | "CL" | "CM" | "CT" | "EX" | "GA" | "IB" | "RI" | "MD" | "MC" | "NC" | "PV" | "VC" | "CE" | "ML" | null;
            display_prefix: string;
            created_at: string;
            last_used_at: string | null;
            revoked_at: string | null;
        };
    };
    responses: never;
    parameters: {
        /**
         * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
         * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
         */
        IdempotencyKey: string;
        /**
         * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
         * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
         */
        IfMatch: string;
        /**
         * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
         * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
         */
        WebhookId: string;
        /**
         * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
         * @example 1773133200
         */
        WebhookTimestamp: string;
        /**
         * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
         * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
         */
        WebhookSignature: string;
    };
    requestBodies: never;
    headers: {
        /** @description The id of this request (also `request_id` in a problem): quote it to support. */
        "Request-Id": string;
        /** @description The requests left in the current window and the seconds until it resets (IETF RateLimit header fields), e.g. `"credential";r=97;t=42`. */
        RateLimit: string;
        /** @description The limit and its window in seconds, e.g. `"credential";q=100;w=60`. */
        "RateLimit-Policy": string;
        /** @description Seconds to wait before retrying (on 429, 409 `idempotency_in_flight` and 503). */
        "Retry-After": number;
        /** @description `true` when sending the same request again may succeed (429, 503), `false` when it will fail the same way until something changes (every other 4xx, including 409 `idempotency_in_flight`, whose outcome is not known yet). Absent on a 500: retry with the same `Idempotency-Key`. */
        "Puente-Should-Retry": "true" | "false";
        /** @description `true` when this is the stored response of an earlier request with the same `Idempotency-Key`. */
        "Idempotent-Replayed": "true";
        /** @description The resource's version, to send as `If-Match` with a change. */
        ETag: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Healthy */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database is unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    listProcedureTypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole catalogue (one page). */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcedureTypeList"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveProcedureTypeForm: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The JSON Schema. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/schema+json": components["schemas"]["JsonSchema"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveProcedureType: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure type. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcedureType"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    computeDeadline: {
        parameters: {
            query: {
                /** @description Day of the notification, publication or filing; counting starts the next day. */
                from: string;
                /** @description Días hábiles to add. */
                business_days?: number;
                /** @description Months to add, date to date. */
                months?: number;
                /** @description Días naturales to add (every day counts; an inhábil last day rolls forward). */
                natural_days?: number;
                /** @description The applicant's community. Without it (and without `municipality`) only national days count for the applicant. */
                region?: components["schemas"]["Region"];
                /** @description INE 5-digit code of the applicant's municipality (e.g. 28079 Madrid); gives its province, community and island or territory. */
                municipality?: string;
                /** @description Province of the deciding office (its seat is the provincial capital). Defaults to the applicant's province when `municipality` is given, or to the community's only province (MD, AS, CB, RI, MC, NC, IB, CE, ML) when only `region` is; otherwise the office's days are not counted and the answer warns `office_unknown`. */
                office_province?: components["schemas"]["Province"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deadline and every day skipped. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Deadline"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listHolidays: {
        parameters: {
            query: {
                year: number;
                /** @description Community; without it (and without `municipality`) only national days are listed. */
                region?: components["schemas"]["Region"] & unknown;
                /** @description INE 5-digit code of the applicant's municipality (e.g. 28079 Madrid); gives its province, community and island or territory. */
                municipality?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The holidays, by date. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HolidayList"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    registerOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterOrganizationRequest"];
            };
        };
        responses: {
            /** @description Registered. Store `test_key.secret` now: it is never shown again. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationRegistration"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `duplicate`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveOrganization: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation of the API key. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMembers: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "active" | "removed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateMemberRequest"];
            };
        };
        responses: {
            /** @description The new member. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `duplicate`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The member. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The removed member. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Member"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApiKeyRequest"];
            };
        };
        responses: {
            /** @description The key, with its secret. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithSecret"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDelegationRequestBatch: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "multipart/form-data": components["schemas"]["CreateDelegationRequestBatchUpload"];
                "text/csv": string;
                "application/json": components["schemas"]["CreateDelegationRequestBatch"];
            };
        };
        responses: {
            /** @description The batch, accepted; rows are processed in the background. */
            202: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequestBatch"];
                };
            };
            /** @description Problem. Possible codes: `csv_invalid`, `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `organization_not_practising`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `too_many_rows`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveDelegationRequestBatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The batch. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequestBatch"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDelegationRequestBatchRows: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Only rows with this outcome, such as `failed`. */
                status?: "queued" | "created" | "duplicate" | "failed";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rows. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequestBatchRowList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDelegationRequests: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "pending" | "accepted" | "rejected" | "cancelled" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of requests, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequestList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createDelegationRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateDelegationRequest"];
            };
        };
        responses: {
            /** @description The pending request. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `organization_not_practising`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `duplicate`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveDelegationRequest: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delegation request. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelDelegationRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delegation request. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `delegation_request_expired`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDelegations: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "active" | "revoked" | "renounced" | "expired" | "suspended";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of delegations, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveDelegation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delegation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delegation"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    renounceDelegation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RenounceDelegationRequest"];
            };
        };
        responses: {
            /** @description The delegation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delegation"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createConsentToken: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["MintConsentTokenRequest"];
            };
        };
        responses: {
            /** @description The token. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentToken"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    checkConsentToken: {
        parameters: {
            query?: {
                /** @description The capacity to check (default `consult`). */
                capacity?: components["schemas"]["Capacity"] & unknown;
                /** @description A procedure type the action would concern. */
                procedure_type?: components["schemas"]["ProcedureTypeCode"] & unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The action would be allowed. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentCheck"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON Web Key Set. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonWebKeySet"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    introspectConsentToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IntrospectConsentTokenRequest"];
            };
        };
        responses: {
            /** @description The verdict and, when the signature verifies, the claims. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsentTokenIntrospection"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProcedures: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "draft" | "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
                type?: components["schemas"]["ProcedureTypeCode"];
                /** @description Only procedures changed at or after this time. */
                updated_since?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of procedures. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcedureList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateProcedureRequest"];
            };
        };
        responses: {
            /** @description The draft. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `unprocessable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveProcedure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateProcedureRequest"];
            };
        };
        responses: {
            /** @description The procedure. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    submitProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `unprocessable`, `out_of_time`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    withdrawProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProcedureTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The timeline, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveProcedureReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": Blob;
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    respondToRequirement: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
                requirement_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RequirementResponseRequest"];
            };
        };
        responses: {
            /** @description The procedure. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `unprocessable`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listDocuments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every document, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentList"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    uploadDocument: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UploadDocumentRequest"];
            };
        };
        responses: {
            /** @description The stored document. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Document"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `unprocessable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                document_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file as uploaded. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": Blob;
                    "image/png": Blob;
                    "image/jpeg": Blob;
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyListProcedures: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description Default `submitted`: the intake queue. */
                status?: "submitted" | "in_review" | "action_required" | "approved" | "partially_approved" | "denied" | "withdrawn" | "lapsed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of procedures. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgencyProcedureQueue"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyRetrieveProcedure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgencyProcedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyDownloadDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                document_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file as uploaded. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": Blob;
                    "image/png": Blob;
                    "image/jpeg": Blob;
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyAdmitProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure after the action. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyIssueRequirement: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IssueRequirementRequest"];
            };
        };
        responses: {
            /** @description The procedure after the action. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyDeclareWithdrawal: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "text": "Se le tiene por desistido de su solicitud por no aportar en plazo la documentación requerida (art. 68.1 de la Ley 39/2015)."
                 *     }
                 */
                "application/json": components["schemas"]["AgencyActRequest"];
            };
        };
        responses: {
            /** @description The procedure after the action. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `term_not_elapsed`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyWarnLapse: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "text": "Se le advierte de que, paralizado el procedimiento por causa imputable a usted, transcurridos tres meses se producirá su caducidad (art. 95.1 de la Ley 39/2015)."
                 *     }
                 */
                "application/json": components["schemas"]["AgencyActRequest"];
            };
        };
        responses: {
            /** @description The procedure after the action. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyDeclareLapse: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "text": "Se declara la caducidad del procedimiento y se acuerda el archivo de las actuaciones (art. 95.1 de la Ley 39/2015)."
                 *     }
                 */
                "application/json": components["schemas"]["AgencyActRequest"];
            };
        };
        responses: {
            /** @description The procedure after the action. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `term_not_elapsed`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    agencyResolveProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResolveProcedureRequest"];
            };
        };
        responses: {
            /** @description The procedure after the action. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Procedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listProcedureNotifications: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notifications. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationList"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveProcedureNotification: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                notification_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notification. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `service_unavailable`. */
            503: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    accessProcedureNotification: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
                notification_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The opened notification. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notification"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `consent_required`, `consent_invalid`, `consent_signature_invalid`, `consent_key_unknown`, `consent_algorithm_not_allowed`, `consent_expired`, `consent_not_yet_valid`, `consent_audience_mismatch`, `consent_issuer_mismatch`, `consent_actor_mismatch`, `consent_mode_mismatch`, `organization_not_practising`, `delegation_inactive`, `scope_insufficient`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                /** @description An event type, or a family such as `procedure.*`. */
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Event"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of endpoints. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint and its signing secret. */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointWithSecret"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description The `ETag` of your last read: the change applies only if the resource is still at that version (412 `precondition_failed` otherwise).
                 * @example "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0.v4"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpoint"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `precondition_failed`. */
            412: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateWebhookEndpointSecret: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RotateWebhookSecretRequest"];
            };
        };
        responses: {
            /** @description The endpoint and its signing secret. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEndpointWithSecret"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    testWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued again. */
            202: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDelivery"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sandboxAdvanceProcedure: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SandboxAdvanceRequest"];
            };
        };
        responses: {
            /** @description The procedure after the simulated action, as a list shows it (`ProcedureSummary`): its contents are read under the client's consent, as in live mode. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProcedureSummary"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `term_not_elapsed`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sandboxAcceptDelegationRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request after the simulated answer. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`, `organization_not_practising`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `delegation_request_expired`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sandboxRejectDelegationRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request after the simulated answer. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_suspended`, `live_mode_unavailable`, `forbidden`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `delegation_request_expired`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyDelegationRequests: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "pending" | "accepted" | "rejected" | "cancelled" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of requests for the signed-in citizen. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequestList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    acceptMyDelegationRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AcceptMyDelegationRequestRequest"];
            };
        };
        responses: {
            /** @description The accepted request; `delegation_id` names the new delegation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `organization_not_practising`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `delegation_request_expired`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `unprocessable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rejectMyDelegationRequest: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rejected request. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationRequest"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`, `delegation_request_expired`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyDelegations: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "active" | "revoked" | "renounced" | "expired" | "suspended";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of delegations. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DelegationList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeMyDelegation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked delegation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Delegation"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyProcedures: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of procedures, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyProcedureList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveMyProcedure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The procedure as the citizen sees it. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MyProcedure"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    downloadMyDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                document_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file as uploaded. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": Blob;
                    "image/png": Blob;
                    "image/jpeg": Blob;
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retrieveMyProcedureReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The receipt. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/pdf": Blob;
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyProcedureTimeline: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every change, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Timeline"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyAccessLog: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                delegation_id?: string;
                /** @description First day (Europe/Madrid) of the period, included. */
                from?: string;
                /** @description Last day (Europe/Madrid) of the period, included. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of access-log entries. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccessLogList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportMyAccessLog: {
        parameters: {
            query: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                delegation_id?: string;
                /** @description First day (Europe/Madrid) of the period, included. */
                from?: string;
                /** @description Last day (Europe/Madrid) of the period, included. */
                to?: string;
                /** @description CSV (UTF-8, comma-separated, header row) or PDF. */
                format: "csv" | "pdf";
                /** @description Language of the headings and action descriptions; Spanish by default. */
                lang?: "es" | "en";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries as a file. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                    "application/pdf": Blob;
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listMyAvisos: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of avisos. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvisoList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyAvisoSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The citizen's aviso settings. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvisoSettings"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateMyAvisoSettings: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAvisoSettings"];
            };
        };
        responses: {
            /** @description The citizen's aviso settings. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvisoSettings"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    startMyContactConfirmation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                channel: "email" | "phone";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartContactConfirmation"];
            };
        };
        responses: {
            /** @description The code is on its way; `pending` shows the contact waiting for it. */
            202: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvisoSettings"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    removeMyContact: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                channel: "email" | "phone";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The citizen's aviso settings. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvisoSettings"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmMyContact: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                channel: "email" | "phone";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ConfirmContact"];
            };
        };
        responses: {
            /** @description The citizen's aviso settings. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AvisoSettings"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `citizen_token_invalid`, `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `contact_code_invalid`, `contact_code_expired`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `rate_limited`. */
            429: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    RateLimit: components["headers"]["RateLimit"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminReplaceCalendarYear: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplaceCalendarYearRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminReplaceRegionHolidays: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
                /** @description Autonomous community, ISO 3166-2:ES subdivision code without the `ES-` prefix. */
                region: components["schemas"]["Region"] & unknown;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "days": [
                 *         {
                 *           "date": "2026-04-02",
                 *           "name": "Jueves Santo",
                 *           "source": "Decreto 75/2025, BOCM",
                 *           "confidence": "A"
                 *         },
                 *         {
                 *           "date": "2026-05-02",
                 *           "name": "Fiesta de la Comunidad de Madrid",
                 *           "source": "Decreto 75/2025, BOCM",
                 *           "confidence": "A"
                 *         },
                 *         {
                 *           "date": "2026-11-02",
                 *           "name": "Lunes siguiente a Todos los Santos",
                 *           "source": "Decreto 75/2025, BOCM",
                 *           "confidence": "A"
                 *         },
                 *         {
                 *           "date": "2026-12-07",
                 *           "name": "Lunes siguiente al Día de la Constitución",
                 *           "source": "Decreto 75/2025, BOCM",
                 *           "confidence": "A"
                 *         }
                 *       ],
                 *       "reason": "Decreto 75/2025, BOCM: fiestas laborales de la Comunidad de Madrid para 2026."
                 *     }
                 */
                "application/json": components["schemas"]["ReplaceHolidaysRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminAddRegionHolidays: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
                /** @description Autonomous community, ISO 3166-2:ES subdivision code without the `ES-` prefix. */
                region: components["schemas"]["Region"] & unknown;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "days": [
                 *         {
                 *           "date": "2026-12-07",
                 *           "name": "Lunes siguiente al Día de la Constitución",
                 *           "source": "Decreto 75/2025, BOCM",
                 *           "confidence": "A"
                 *         }
                 *       ],
                 *       "reason": "Decreto 75/2025, BOCM: fiestas laborales de la Comunidad de Madrid para 2026."
                 *     }
                 */
                "application/json": components["schemas"]["AddHolidaysRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminReplaceAreaHolidays: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
                area: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "days": [
                 *         {
                 *           "date": "2026-02-02",
                 *           "name": "Virgen de la Candelaria",
                 *           "source": "Decreto 61/2025, BOC 88 de 5-V-2025",
                 *           "confidence": "A"
                 *         }
                 *       ],
                 *       "reason": "Decreto 61/2025, BOC 88 de 5-V-2025: fiesta insular de Tenerife para 2026."
                 *     }
                 */
                "application/json": components["schemas"]["ReplaceHolidaysRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminAddAreaHolidays: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
                area: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "days": [
                 *         {
                 *           "date": "2026-02-02",
                 *           "name": "Virgen de la Candelaria",
                 *           "source": "Decreto 61/2025, BOC 88 de 5-V-2025",
                 *           "confidence": "A"
                 *         }
                 *       ],
                 *       "reason": "Decreto 61/2025, BOC 88 de 5-V-2025: fiesta insular de Tenerife para 2026."
                 *     }
                 */
                "application/json": components["schemas"]["AddHolidaysRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminReplaceMunicipalityHolidays: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
                municipality: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "days": [
                 *         {
                 *           "date": "2026-05-25",
                 *           "name": "Segunda Pascua",
                 *           "source": "Orden EMT/208/2025, DOGC 17-XII-2025",
                 *           "confidence": "A"
                 *         },
                 *         {
                 *           "date": "2026-09-24",
                 *           "name": "La Mercè",
                 *           "source": "Orden EMT/208/2025, DOGC 17-XII-2025",
                 *           "confidence": "A"
                 *         }
                 *       ],
                 *       "reason": "Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026.",
                 *       "complete": true
                 *     }
                 */
                "application/json": components["schemas"]["ReplaceMunicipalityHolidaysRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminAddMunicipalityHolidays: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                year: number;
                municipality: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "days": [
                 *         {
                 *           "date": "2026-09-24",
                 *           "name": "La Mercè",
                 *           "source": "Orden EMT/208/2025, DOGC 17-XII-2025",
                 *           "confidence": "A"
                 *         }
                 *       ],
                 *       "reason": "Orden EMT/208/2025, DOGC 17-XII-2025: fiestas locales de Cataluña para 2026."
                 *     }
                 */
                "application/json": components["schemas"]["AddHolidaysRequest"];
            };
        };
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `conflict`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `calendar_unavailable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminListCalendarChanges: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of changes. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChangeList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminRetrieveCalendarChange: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The recorded change. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CalendarChange"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminListOrganizations: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                status?: "pending_verification" | "verified" | "suspended";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of organisations, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminVerifyOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["VerifyOrganizationRequest"];
            };
        };
        responses: {
            /** @description The organisation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`, `unprocessable`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminSuspendOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SuspendOrganizationRequest"];
            };
        };
        responses: {
            /** @description The organisation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminReinstateOrganization: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Organization"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`, `invalid_state_transition`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminRotateSigningKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new key id. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SigningKeyRotation"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminIssueOwnerKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IssueOwnerKeyRequest"];
            };
        };
        responses: {
            /** @description The key, with its secret (shown once). */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithSecret"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `live_mode_unavailable`. */
            403: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminListAgencyKeys: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100. */
                limit?: number;
                /** @description Opaque cursor from a previous page's `next_cursor`. */
                cursor?: string;
                managing_body?: components["schemas"]["ManagingBody"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of keys, oldest first. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgencyKeyList"];
                };
            };
            /** @description Problem. Possible codes: `invalid_cursor`, `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminCreateAgencyKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAgencyKeyRequest"];
            };
        };
        responses: {
            /** @description The key, with its secret (shown once). */
            201: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgencyKeyWithSecret"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`, `malformed_json`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `payload_too_large`. */
            413: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unsupported_media_type`. */
            415: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    adminRevokeAgencyKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Any unique string (a UUID) of 1 to 255 printable ASCII characters. The first response is stored for 24 hours, scoped to your credential, and replayed to a retry with the same key (`Idempotent-Replayed: true`); the same key with another request answers 422 `idempotency_conflict`, and while the first is still running, 409 `idempotency_in_flight`. Error responses are not stored: a retry runs again.
                 * @example 5f0c6a4e-2b7d-4d8e-9a51-3c2f1e0b7a64
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked key. */
            200: {
                headers: {
                    "Request-Id": components["headers"]["Request-Id"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgencyKey"];
                };
            };
            /** @description Problem. Possible codes: `validation_failed`. */
            400: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `unauthorized`. */
            401: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `not_found`. */
            404: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_in_flight`. */
            409: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    "Retry-After": components["headers"]["Retry-After"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `idempotency_conflict`. */
            422: {
                headers: {
                    "Puente-Should-Retry": components["headers"]["Puente-Should-Retry"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem. Possible codes: `internal`. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    delegationRequestAcceptedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation_request.accepted",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
                 *         "status": "accepted",
                 *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRequestAcceptedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationRequestRejectedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation_request.rejected",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
                 *         "status": "rejected"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRequestRejectedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationRequestExpiredWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation_request.expired",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
                 *         "status": "expired"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRequestExpiredEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationRequestCancelledWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation_request.cancelled",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_request_id": "dlr_7Qw9Er1Ty3Ui5Op7As9Df1",
                 *         "status": "cancelled"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRequestCancelledEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationRevokedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation.revoked",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
                 *         "status": "revoked",
                 *         "ended_by": "citizen"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRevokedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationRenouncedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation.renounced",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
                 *         "status": "renounced",
                 *         "ended_by": "organization"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRenouncedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationExpiredWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation.expired",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
                 *         "status": "expired",
                 *         "ended_by": "expiry"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationExpiredEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationSuspendedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation.suspended",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_id": "dlg_5Tg7Yh9Uj1Ik3Ol5Pz7Xc9",
                 *         "status": "suspended",
                 *         "ended_by": "platform"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationSuspendedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureSubmittedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.submitted",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "submitted",
                 *         "registry_entry_number": "REG-2026-000123",
                 *         "max_resolution_date": "2026-06-02"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureSubmittedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureStatusChangedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.status_changed",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "previous_status": "in_review",
                 *         "status": "action_required",
                 *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureStatusChangedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureRequirementIssuedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.requirement_issued",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "action_required",
                 *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
                 *         "kinds": [
                 *           "COMPANY_CERT"
                 *         ],
                 *         "deadline": null,
                 *         "term_starts": "on_access_or_deemed_rejection",
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureRequirementIssuedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureRequirementExtendedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.requirement_extended",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "action_required",
                 *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
                 *         "deadline": "2026-03-31"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureRequirementExtendedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureRequirementDeadlineApproachingWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.requirement_deadline_approaching",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "action_required",
                 *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
                 *         "deadline": "2026-03-24"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureRequirementDeadlineApproachingEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureResolvedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.resolved",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "approved",
                 *         "outcome": "approved"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureResolvedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedurePresumedDeniedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.presumed_denied",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "in_review",
                 *         "presumed_denied_at": "2026-06-03",
                 *         "prior_claim_deadline": "2026-07-15"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedurePresumedDeniedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    webhookEndpointTestWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "webhook_endpoint.test",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "webhook_endpoint_id": "whe_2Bn4Mq6Wr8Ty0Ui2Op4As6"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["WebhookEndpointTestEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    calendarHolidaysChangedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "calendar.holidays_changed",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "calendar_change_id": "cch_8Kl0Zx2Cv4Bn6Mq8Wr0Ty2",
                 *         "year": 2026,
                 *         "scope": "municipality",
                 *         "code": "28079",
                 *         "procedure_ids": [
                 *           "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0"
                 *         ]
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["CalendarHolidaysChangedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    delegationRequestBatchCompletedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "delegation_request_batch.completed",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "delegation_request_batch_id": "dlb_3vN8kQ2mXp7LwR4tZ9cB1d",
                 *         "status": "completed",
                 *         "total": 1000,
                 *         "created": 950,
                 *         "duplicates": 30,
                 *         "failed": 20
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["DelegationRequestBatchCompletedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    notificationAvailableWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "notification.available",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "kind": "requirement",
                 *         "made_available_at": "2026-03-10T09:00:00.000Z",
                 *         "deemed_rejected_on": "2026-03-20",
                 *         "term_deadline": null
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NotificationAvailableEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    notificationAccessedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "notification.accessed",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "kind": "requirement",
                 *         "made_available_at": "2026-03-10T09:00:00.000Z",
                 *         "deemed_rejected_on": "2026-03-20",
                 *         "term_deadline": null
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NotificationAccessedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    notificationDeemedRejectedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "notification.deemed_rejected",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "kind": "requirement",
                 *         "made_available_at": "2026-03-10T09:00:00.000Z",
                 *         "deemed_rejected_on": "2026-03-20",
                 *         "term_deadline": null
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NotificationDeemedRejectedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    notificationDeemedRejectionApproachingWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "notification.deemed_rejection_approaching",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "kind": "requirement",
                 *         "made_available_at": "2026-03-10T09:00:00.000Z",
                 *         "deemed_rejected_on": "2026-03-20",
                 *         "term_deadline": null
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["NotificationDeemedRejectionApproachingEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    requirementExpiredWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "requirement.expired",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "action_required",
                 *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
                 *         "deadline": "2026-03-24",
                 *         "withdrawal_declarable_from": "2026-03-25"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["RequirementExpiredEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureWithdrawalDeclaredWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.withdrawal_declared",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "withdrawn",
                 *         "requirement_id": "req_3Ed5Rf7Tg9Yh1Uj3Ik5Ol7",
                 *         "requirement_deadline": "2026-03-24",
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureWithdrawalDeclaredEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureLapseWarnedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.lapse_warned",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "in_review",
                 *         "notification_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureLapseWarnedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    procedureLapsedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description The event id (`evt_…`), the same on every attempt: deduplicate on it.
                 * @example evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in Unix seconds; part of what is signed (refuse ones far from now).
                 * @example 1773133200
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description `v1,` and the base64 HMAC-SHA256 of `{webhook-id}.{webhook-timestamp}.{body}` keyed with the endpoint's secret (the bytes its base64 after `whsec_` encodes); several, separated by spaces, while secrets rotated out still sign.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature": components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "id": "evt_1Az3Sx5Dc7Fv9Gb1Hn3Jm5",
                 *       "type": "procedure.lapsed",
                 *       "timestamp": "2026-03-10T09:00:00.000Z",
                 *       "livemode": false,
                 *       "data": {
                 *         "procedure_id": "prc_6Yh8Uj0Ik2Ol4Pz6Xc8Vb0",
                 *         "type": "JUB",
                 *         "status": "lapsed",
                 *         "lapse_warning_id": "ntf_4Rf6Tg8Yh0Uj2Ik4Ol6Pz8",
                 *         "warning_term_ended_on": "2026-06-10",
                 *         "notification_id": "ntf_9Wq1Er3Ty5Ui7Op9As1Df3"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProcedureLapsedEvent"];
            };
        };
        responses: {
            /** @description Received. Any 2xx will do; 410 disables the endpoint. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
