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
        return migrator
    }
}
