-- The calendar of días inhábiles as data (Ley 39/2015, art. 30): which years have data, the places
-- (provinces, municipalities and the areas between a community and a municipality), every holiday
-- with its source and confidence grade, and a record of every change the platform administrator
-- makes. Deadlines are computed from a snapshot of these tables; `calendar_state.version` changes
-- with every change, in the same transaction, so each process knows when to reload it.

create table calendar_state (
  id boolean primary key default true check (id),
  version bigint not null
);
insert into calendar_state (id, version) values (true, 1);

-- A year absent here has no data: any deadline touching it fails (422 calendar_unavailable).
create table calendar_years (
  year integer primary key check (year between 2000 and 2100),
  provisional boolean not null,
  source text not null,
  confidence text not null check (confidence in ('A', 'B', 'C')),
  note text
);

-- Islands (Canarias), Val d'Aran and the Basque historical territories.
create table holiday_areas (
  code text primary key check (code ~ '^[a-z_]+$'),
  kind text not null check (kind in ('island', 'aran', 'historical_territory')),
  community_code text not null,
  name text not null
);

-- ISO 3166-2:ES province codes (without `ES-`); the Dirección Provincial sits in the capital.
create table provinces (
  code text primary key,
  ine_code text not null unique check (ine_code ~ '^[0-9]{2}$'),
  name text not null,
  community_code text not null,
  capital_ine_code text not null
);

-- The INE register: the 5-digit code is CPRO (the province) + CMUN.
create table municipalities (
  ine_code text primary key check (ine_code ~ '^[0-9]{5}$'),
  name text not null,
  province_code text not null references provinces (code),
  community_code text not null,
  area_code text references holiday_areas (code)
);

create table calendar_changes (
  id text primary key,
  occurred_at timestamptz not null,
  actor text not null,
  reason text not null,
  year integer not null,
  scope text not null check (scope in ('year', 'national', 'region', 'area', 'municipality')),
  code text,
  mode text not null check (mode in ('replace', 'add')),
  before_count integer not null,
  after_count integer not null,
  before jsonb not null,
  after jsonb not null,
  calendar_version bigint not null,
  procedures_recomputed integer not null default 0
);
create index calendar_changes_recent_idx on calendar_changes (occurred_at desc, id desc);

-- One row per day and place. `kind = 'not_holiday'` (areas only) lifts a community day there, as
-- Val d'Aran does with 26 December. `partial`: the municipality's main town only (other localities
-- keep days of their own); `conflict`: sources disagree and the day is kept to be safe.
create table holidays (
  id bigint generated always as identity primary key,
  date date not null,
  scope text not null check (scope in ('national', 'region', 'area', 'municipality')),
  code text,
  kind text not null default 'holiday' check (kind in ('holiday', 'not_holiday')),
  name text not null,
  source text not null,
  confidence text not null check (confidence in ('A', 'B', 'C')),
  partial boolean not null default false,
  conflict boolean not null default false,
  change_id text references calendar_changes (id),
  check ((scope = 'national') = (code is null)),
  check (kind = 'holiday' or scope = 'area')
);
create index holidays_place_idx on holidays (scope, code, date);

-- A municipality's local days for a year are known only when listed here; `complete = false`
-- when some of them are known to be missing.
create table local_holiday_coverage (
  ine_code text not null references municipalities (ine_code),
  year integer not null,
  complete boolean not null,
  note text,
  primary key (ine_code, year)
);

-- The places of a procedure (art. 30.6): the applicant's municipality and the seat of the deciding office.
alter table procedures add column applicant_municipality text references municipalities (ine_code);
alter table procedures add column office_municipality text references municipalities (ine_code);
