// Documents resting on repealed ones
// Documents that implement, rest on or cite a document already repealed or expired on their own date (status as
// of the day `polgraph load --as-of` used; what `polgraph stats` flags as cites_void), earliest change first.
MATCH (d:Document)-[r:IMPLEMENTS|BASED_ON|REFERS_TO|FORWARDS|CITES]->(v:Document)
WHERE v.status IN ['repealed', 'expired'] AND v.status_changed_on IS NOT NULL
  AND coalesce(d.date, d.effective) >= v.status_changed_on
RETURN d.id AS id, d.title AS title, coalesce(d.date, d.effective) AS date, type(r) AS relation,
       v.id AS rests_on, v.title AS rests_on_title, v.status AS status, v.status_changed_on AS since,
       v.status_changed_by AS changed_by
ORDER BY since, id, rests_on
