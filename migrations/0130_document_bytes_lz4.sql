-- A document's bytes are a PDF, PNG or JPEG: formats that compress their own content. PostgreSQL
-- still compressed every stored file with pglz, its default, which reads the whole value: on an
-- upload of 100 kB it was the largest single cost of PostgreSQL's CPU in a filing (about 0.4 ms
-- per file, measured with `perf record` during `npm run bench`). lz4 compresses what does
-- compress (a PDF's text, a scan's blank margins) in a small fraction of that time, and gives up
-- as cheaply on what does not. It applies to the bytes stored from now on; the ones stored before
-- keep their pglz and read as before.
--
-- Only where the server was built with lz4 (PostgreSQL's packages are); the embedded database is
-- not, and keeps pglz.
do $$
begin
  alter table document_blobs alter column content set compression lz4;
exception when feature_not_supported then
  null;
end;
$$;
