-- The core of `zizhu reconcile` in DuckDB SQL, run by bench/duckdb_reconcile.py.
--
-- @APPROVED@, @LEDGER@ and @ROSTER@ are replaced by a UNION ALL over one table per input file
-- (loaded by the Python script, timed, with each file's own column titles mapped to the names used
-- here), each row with `src` = `file:line` of its original file; @OUT@ by the output path.
-- Statements end with `;` at the end of a line. Macros and views take no time; the rest is timed.

-- Normalization of the contract §4, as far as matching needs it. A macro's argument is expanded
-- wherever the macro names it, so the arguments here are columns, not expressions, and a chain of
-- steps is a chain of projections (normalized_ids): otherwise DuckDB computes each step many times.
-- Full-width digits and letters to ASCII (translate is slow: only on values that are not ASCII).
CREATE MACRO fold(x) AS trim(CASE WHEN strlen(x) = length(x) THEN x
                                  ELSE translate(x, '０１２３４５６７８９ｘＸ，．', '0123456789XX,.') END);
-- Excel's leading apostrophe and ="…" wrapper off, lower-case x up.
CREATE MACRO bare_id(f) AS upper(CASE WHEN f[1] IN ('=', '''') THEN regexp_replace(f, '^=?"|"$|^''', '', 'g')
                                      ELSE f END);
-- GB 11643 check character of the first 17 digits, given as a number v (ISO 7064 MOD 11-2).
CREATE MACRO check_char(v) AS substr('10X98765432', ((
      ((v // 10000000000000000) % 10) * 7 + ((v // 1000000000000000) % 10) * 9 + ((v // 100000000000000) % 10) * 10
    + ((v // 10000000000000) % 10) * 5 + ((v // 1000000000000) % 10) * 8 + ((v // 100000000000) % 10) * 4
    + ((v // 10000000000) % 10) * 2 + ((v // 1000000000) % 10) * 1 + ((v // 100000000) % 10) * 6
    + ((v // 10000000) % 10) * 3 + ((v // 1000000) % 10) * 7 + ((v // 100000) % 10) * 9
    + ((v // 10000) % 10) * 10 + ((v // 1000) % 10) * 5 + ((v // 100) % 10) * 8
    + ((v // 10) % 10) * 4 + ((v // 1) % 10) * 2) % 11) + 1, 1);
-- Money as an exact decimal: `1,250.00`, `¥1250`, `1250元`; anything else (`12.345`, `abc`) is NULL.
CREATE MACRO money_text(y) AS CASE WHEN regexp_full_match(y, '-?[0-9]+(\.[0-9]{1,2})?') THEN CAST(y AS DECIMAL(18, 2)) END;
CREATE MACRO money(x) AS CASE WHEN regexp_full_match(x, '-?[0-9]+(\.[0-9]{1,2})?') THEN CAST(x AS DECIMAL(18, 2))
                              ELSE money_text(regexp_replace(fold(x), '[¥￥,元\s]', '', 'g')) END;
-- Accounts: digits only (`*` kept: a masked account matches nothing here).
CREATE MACRO account(x) AS CASE WHEN regexp_full_match(x, '[0-9*]+') THEN x
                                ELSE regexp_replace(fold(x), '[\s-]', '', 'g') END;
-- The column id_raw of a table or view becomes id: folded, unwrapped, a 15-digit id upgraded to 18,
-- an 18-character id kept only when its check character holds; NULL when unreadable.
CREATE MACRO normalized_ids(t) AS TABLE
WITH folded AS (SELECT *, fold(id_raw) AS id_f FROM query_table(t)),
     bare AS (SELECT * EXCLUDE (id_f), bare_id(id_f) AS id_b FROM folded),
     body AS (SELECT *, CASE strlen(id_b)
                    WHEN 18 THEN CASE WHEN regexp_full_match(id_b, '[0-9]{17}[0-9X]') THEN substr(id_b, 1, 17) END
                    WHEN 15 THEN CASE WHEN regexp_full_match(id_b, '[0-9]{15}')
                                      THEN substr(id_b, 1, 6) || '19' || substr(id_b, 7) END END AS id_17
              FROM bare),
     checked AS (SELECT *, check_char(v) AS id_c FROM (SELECT *, CAST(id_17 AS BIGINT) AS v FROM body))
SELECT * EXCLUDE (id_raw, id_b, id_17, v, id_c),
       CASE WHEN length(id_b) = 15 OR id_b[18] = id_c THEN id_17 || id_c END AS id
FROM checked;

-- One view per input: a UNION ALL over its files' tables.
CREATE VIEW approved_raw AS @APPROVED@;
CREATE VIEW ledger_raw AS @LEDGER@;
CREATE VIEW roster_raw AS @ROSTER@;

-- Only 国家助学金 rows with 已审批 for 2023-fall are approved.
CREATE VIEW approved_grants AS
SELECT * FROM approved_raw
WHERE trim(aid_type) = '国家助学金' AND trim(approval_status) IN ('已审批', '通过', '审核通过')
  AND regexp_full_match(trim(term), '(2023|２０２３)(-fall|F|年?秋季?(学期)?)');

-- One row per approved student (a second approved row adds up).
CREATE TABLE appr AS
SELECT id, min(fold(student_no)) AS student_no, min(fold(school_code)) AS school_code,
       sum(amount) AS amount, min(card) AS card, string_agg(src, ';') AS sources
FROM (SELECT *, money(amount_raw) AS amount, account(card_raw) AS card FROM normalized_ids('approved_grants'))
WHERE id IS NOT NULL AND amount IS NOT NULL
GROUP BY id;

-- A card number that belongs to exactly one approved student identifies a ledger row without an id.
CREATE TABLE cards AS
SELECT card, min(id) AS id FROM appr WHERE card IS NOT NULL AND card <> ''
GROUP BY card HAVING count(*) = 1;

-- Every ledger row: paid / failed / reversal, matched to a student by id, else by account.
CREATE TABLE lm AS
SELECT l.account, l.amount, l.src,
       CASE WHEN l.amount < 0 OR l.status LIKE '%冲正%' OR l.status LIKE '%退汇%' THEN 'reversal'
            WHEN l.status IN ('成功', '交易成功', '已入账', '入账成功', '处理成功') THEN 'paid'
            WHEN l.status LIKE '失败%' OR l.status LIKE '交易失败%' OR l.status LIKE '入账失败%' THEN 'failed'
            ELSE 'other' END AS kind,
       coalesce(l.id, c.id) AS sid
FROM (SELECT id, account(account_raw) AS account, money(amount_raw) AS amount, trim(status) AS status, src
      FROM normalized_ids('ledger_raw')) l
LEFT JOIN cards c ON l.id IS NULL AND l.account = c.card
WHERE l.amount IS NOT NULL AND (l.id IS NOT NULL OR l.account <> '');

-- Per matched student: the net amount paid (a reversal cancels a payment) and the rows.
CREATE TABLE per_student AS
SELECT sid,
       sum(CASE kind WHEN 'paid' THEN amount WHEN 'reversal' THEN -abs(amount) ELSE 0 END) AS paid,
       count(*) FILTER (WHERE kind = 'paid') - count(*) FILTER (WHERE kind = 'reversal') AS paid_rows,
       count(*) FILTER (WHERE kind = 'failed') AS failed_rows,
       string_agg(src, ';') AS sources
FROM lm WHERE sid IS NOT NULL GROUP BY sid;

CREATE TABLE roster AS SELECT DISTINCT id FROM normalized_ids('roster_raw') WHERE id IS NOT NULL;

CREATE TABLE findings AS
-- R01 / R10: approved and nothing paid (no ledger row at all / only failed rows): approved ▷ ledger
SELECT CASE WHEN p.sid IS NULL THEN 'R01' ELSE 'R10' END AS code, a.id, a.student_no, a.school_code,
       a.amount AS expected, 0::DECIMAL(18, 2) AS actual, concat_ws(';', a.sources, p.sources) AS sources
FROM appr a LEFT JOIN per_student p ON p.sid = a.id
WHERE p.sid IS NULL OR (p.paid_rows <= 0 AND p.failed_rows > 0)
UNION ALL
-- R02: paid, and no approved student (not approved, or the row matches nobody): ledger ▷ approved
SELECT 'R02', sid, NULL, NULL, 0, sum(amount), string_agg(src, ';')
FROM lm WHERE kind = 'paid' AND (sid IS NULL OR sid NOT IN (SELECT id FROM appr))
GROUP BY coalesce(sid, src), sid
UNION ALL
-- R04 / R03: the total paid differs from the approved amount (R04: 2+ paid rows, above it)
SELECT CASE WHEN p.paid_rows >= 2 AND p.paid > a.amount THEN 'R04' ELSE 'R03' END, a.id, a.student_no,
       a.school_code, a.amount, p.paid, a.sources || ';' || p.sources
FROM appr a JOIN per_student p ON p.sid = a.id
WHERE p.paid_rows > 0 AND p.paid <> a.amount
UNION ALL
-- R06: one account paid for two or more students, one row per student
SELECT 'R06', l.sid, NULL, NULL, NULL, sum(l.amount), string_agg(l.src, ';')
FROM lm l JOIN (SELECT account FROM lm WHERE kind = 'paid' AND sid IS NOT NULL
                GROUP BY account HAVING count(DISTINCT sid) >= 2) s ON s.account = l.account
WHERE l.kind = 'paid' AND l.sid IS NOT NULL
GROUP BY l.account, l.sid
UNION ALL
-- R13: approved or paid, absent from the roster
SELECT 'R13', x.id, NULL, NULL, NULL, NULL, NULL
FROM (SELECT id FROM appr UNION SELECT sid FROM per_student WHERE paid_rows > 0) x
WHERE x.id NOT IN (SELECT id FROM roster);

COPY (SELECT * FROM findings ORDER BY code, id, sources) TO @OUT@ (HEADER);
