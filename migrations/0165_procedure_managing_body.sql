-- The body that decides a filed procedure, fixed when it is filed: the agency's queue and acts are
-- scoped to it, no longer to every body that may manage the procedure's type (an ISM office saw
-- ordinary INSS pensions, any mutua or region every reclamación previa). An agency key may also be
-- limited to one community; a regional body's (CCAA) key must be.
alter table procedures add column managing_body text;
alter table agency_keys add column region text;

-- Procedures filed before: the same rule the service applies at filing (procedures/service.ts,
-- `decidingBody`). Reclamaciones previas after, from the procedure they contest.
update procedures set managing_body = case
    when type = 'PNC' then case when region in ('CE', 'ML') then 'IMSERSO' else 'CCAA' end
    when type = 'JUB' and form ->> 'regime' = 'mar' then 'ISM'
    else 'INSS'
  end
where submitted_at is not null and type <> 'RP';
update procedures p set managing_body = coalesce(o.managing_body, 'INSS')
from procedures o
where p.type = 'RP' and p.submitted_at is not null and o.id = p.original_procedure_id;
update procedures set managing_body = 'INSS' where type = 'RP' and submitted_at is not null and managing_body is null;

create index procedures_agency_body_idx on procedures (managing_body, submitted_at, id)
  where livemode and submitted_at is not null;
