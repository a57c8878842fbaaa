// Helpers the registry's repositories share to run the same SQL on SQLite and PostgreSQL:
// checked prepare/exec, binding of booleans, NULLs and text, and a write transaction.
#pragma once

#include <QSqlDatabase>
#include <QString>
#include <QVariant>

#include <string>

class QSqlError;
class QSqlQuery;

namespace mcpgate::storage {
enum class Dialect;
} // namespace mcpgate::storage

namespace mcpgate::registry::sql {

// The query's last error text, for StorageError messages.
std::string describe(const QSqlQuery &query);
// Throw storage::StorageError on failure.
QSqlQuery prepare(const QSqlDatabase &db, const QString &statement);
void exec(QSqlQuery &query);

// Whether `error` is the violation of a UNIQUE constraint or primary key.
bool isUniqueViolation(const QSqlError &error);

// A boolean as the dialect stores it: INTEGER 0/1 in SQLite, BOOLEAN in PostgreSQL.
QVariant boolValue(storage::Dialect dialect, bool value);
// Text for a NOT NULL column: a null QString would be bound as SQL NULL, an empty one as ''.
QVariant notNullText(const QString &value);
QVariant nullText();
QVariant nullBytes();

// One write transaction, rolled back unless committed. SQLite's BEGIN IMMEDIATE takes the write
// lock at once, so a transaction that reads before it writes cannot fail to upgrade its lock
// halfway (and concurrent writers queue up behind the busy timeout instead).
class WriteTransaction final
{
public:
    // Throws storage::StorageError when the transaction cannot begin.
    WriteTransaction(const QSqlDatabase &db, storage::Dialect dialect);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;

    // Throws storage::StorageError when the commit fails (the transaction is then rolled back).
    void commit();
    // Ends the transaction now, for example before queries that must see other writers' rows.
    void rollback();

private:
    QSqlDatabase m_db;
    bool m_done = false;
};

} // namespace mcpgate::registry::sql
