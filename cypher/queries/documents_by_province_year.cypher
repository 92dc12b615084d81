// Documents by province and year
// In-corpus documents per province and year, split by level (central documents have no province).
MATCH (d:Document)
WHERE d.in_corpus AND d.region IS NOT NULL
RETURN d.region AS province, d.year AS year, count(*) AS documents,
       count(CASE WHEN d.level = 'provincial' THEN 1 END) AS provincial,
       count(CASE WHEN d.level = 'municipal' THEN 1 END) AS municipal,
       count(CASE WHEN d.level = 'county' THEN 1 END) AS county,
       count(CASE WHEN d.level = 'township' THEN 1 END) AS township
ORDER BY province, year
