internal import GRDB

/// The store's migrations. A shipped migration is never edited: add a new one instead.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE definition (
                        hash TEXT PRIMARY KEY,
                        workflow_id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        source TEXT NOT NULL,
                        path TEXT NOT NULL,
                        added_at TEXT NOT NULL
                    );
                    CREATE TABLE "case" (
                        id TEXT PRIMARY KEY,
                        number INTEGER NOT NULL UNIQUE,
                        workflow_id TEXT NOT NULL,
                        workflow_version INTEGER NOT NULL,
                        definition_hash TEXT NOT NULL REFERENCES definition(hash),
                        version INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        opened_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        closed INTEGER NOT NULL DEFAULT 0,
                        next_wake INTEGER -- seconds since 1970, UTC
                    );
                    CREATE INDEX case_next_wake ON "case"(next_wake) WHERE next_wake IS NOT NULL;
                    CREATE INDEX case_workflow ON "case"(workflow_id);
                    CREATE TABLE journal (
                        case_id TEXT NOT NULL REFERENCES "case"(id),
                        seq INTEGER NOT NULL,
                        input TEXT NOT NULL,
                        at TEXT NOT NULL,
                        recorded_at TEXT NOT NULL,
                        PRIMARY KEY (case_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE agenda (
                        case_id TEXT NOT NULL REFERENCES "case"(id),
                        workflow_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        title TEXT NOT NULL,
                        who TEXT NOT NULL,
                        due_day INTEGER,
                        due_minute INTEGER,
                        has_time INTEGER NOT NULL DEFAULT 0,
                        reasons TEXT NOT NULL,
                        PRIMARY KEY (case_id, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX agenda_due ON agenda(due_day) WHERE due_day IS NOT NULL;
                    CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    CREATE TRIGGER journal_append_only_delete BEFORE DELETE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    """)
        }
        migrator.registerMigration("v2-documents") { db in
            // Filled documents kept with their case: the file itself, its SHA-256, and the
            // values the template needed and the case lacked.
            try db.execute(
                sql: """
                    CREATE TABLE document (
                        case_id TEXT NOT NULL REFERENCES "case"(id),
                        seq INTEGER NOT NULL,
                        form TEXT NOT NULL,
                        format TEXT NOT NULL,
                        file_name TEXT NOT NULL,
                        content BLOB NOT NULL,
                        sha256 TEXT NOT NULL,
                        missing TEXT NOT NULL,
                        journal_seq INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (case_id, seq)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v3-accounts") { db in
            // Accounts, sign-in sessions and API tokens for the web app; who each case is
            // assigned to; an append-only audit log of every read and write of a case; and one
            // sealed check value per encryption key, so a wrong key file is caught on opening.
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        role TEXT NOT NULL CHECK (role IN ('advocate', 'supervisor', 'admin')),
                        password_hash TEXT NOT NULL,
                        language TEXT NOT NULL DEFAULT 'en',
                        created_at TEXT NOT NULL,
                        disabled INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE TABLE web_session (
                        token_hash TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES account(id),
                        csrf_token TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        unlocked_case TEXT,
                        unlocked_until INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX web_session_account ON web_session(account_id);
                    CREATE TABLE api_token (
                        token_hash TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES account(id),
                        label TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    ALTER TABLE "case" ADD COLUMN advocate_id TEXT REFERENCES account(id);
                    ALTER TABLE "case" ADD COLUMN states TEXT NOT NULL DEFAULT '';
                    UPDATE "case" SET states = coalesce((SELECT group_concat(key || '=' || value, char(10)) FROM
                        (SELECT key, value FROM json_each("case".state, '$.tracks') ORDER BY key)), '');
                    CREATE INDEX case_advocate ON "case"(advocate_id);
                    CREATE TABLE audit (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        account_id TEXT,
                        account_name TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        action TEXT NOT NULL,
                        case_id TEXT,
                        detail TEXT NOT NULL DEFAULT ''
                    );
                    CREATE INDEX audit_case ON audit(case_id);
                    CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TABLE key_check (
                        key_id TEXT PRIMARY KEY,
                        sealed TEXT NOT NULL,
                        created_at TEXT NOT NULL
                    ) WITHOUT ROWID;
                    ALTER TABLE document ADD COLUMN size INTEGER;
                    UPDATE document SET size = length(content);
                    """)
        }
        // A counter that every change a page can show moves (a case, its documents, the accounts),
        // whichever process makes it: pages built from the store can be kept until it moves.
        // Triggers, so no write path can forget it.
        migrator.registerMigration("v4-revision") { db in
            var sql = """
                CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
                INSERT INTO revision (id, value) VALUES (1, 0);

                """
            for table in ["case", "document", "account"] {
                for change in ["INSERT", "UPDATE", "DELETE"] {
                    sql += """
                        CREATE TRIGGER revision_\(table)_\(change.lowercased()) AFTER \(change) ON "\(table)"
                            BEGIN UPDATE revision SET value = value + 1; END;

                        """
                }
            }
            try db.execute(sql: sql)
        }
        return migrator
    }
}
