#include "registry/serverrepository.h"

#include "registry/registryerror.h"
#include "registry/serverdraft.h"
#include "registry/serverquery.h"
#include "registry/sqlsupport.h"
#include "storage/database.h"
#include "storage/secretbox.h"
#include "storage/sqltime.h"

#include <QHash>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

namespace mcpgate::registry {

using storage::Dialect;
using storage::StorageError;
using namespace sql;

namespace {

// The columns every read selects, in this order.
const QString recordColumns = QStringLiteral(
    "s.id, s.tenant_id, s.name, s.display_name, s.description, s.transport, "
    "s.transport_config, s.credential_type, s.credential_header, "
    "s.credential_secret IS NOT NULL, s.enabled, s.owner, s.created_at, s.updated_at, "
    "s.revision");
enum Column
{
    IdColumn,
    TenantColumn,
    NameColumn,
    DisplayNameColumn,
    DescriptionColumn,
    TransportColumn,
    TransportConfigColumn,
    CredentialTypeColumn,
    CredentialHeaderColumn,
    CredentialConfiguredColumn,
    EnabledColumn,
    OwnerColumn,
    CreatedAtColumn,
    UpdatedAtColumn,
    RevisionColumn,
};

QString sortColumn(ServerSortKey key)
{
    switch (key) {
    case ServerSortKey::Name:
        return QStringLiteral("s.name");
    case ServerSortKey::CreatedAt:
        return QStringLiteral("s.created_at");
    case ServerSortKey::UpdatedAt:
        return QStringLiteral("s.updated_at");
    }
    return QStringLiteral("s.name");
}

int sortColumnIndex(ServerSortKey key)
{
    switch (key) {
    case ServerSortKey::Name:
        return NameColumn;
    case ServerSortKey::CreatedAt:
        return CreatedAtColumn;
    case ServerSortKey::UpdatedAt:
        return UpdatedAtColumn;
    }
    return NameColumn;
}

// A LIKE pattern matching `text` anywhere, with '!' as the escape character.
QString containsPattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    escaped += QLatin1Char('%');
    for (const QChar c : text) {
        if (c == QLatin1Char('!') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped += QLatin1Char('!');
        escaped += c;
    }
    escaped += QLatin1Char('%');
    return escaped;
}

ServerRecord recordFromRow(const QSqlQuery &query)
{
    ServerRecord record;
    record.id = query.value(IdColumn).toString();
    record.tenantId = query.value(TenantColumn).toString();
    record.name = query.value(NameColumn).toString();
    record.displayName = query.value(DisplayNameColumn).toString();
    record.description = query.value(DescriptionColumn).toString();
    const auto type = parseTransportType(query.value(TransportColumn).toString());
    if (!type)
        throw StorageError("server " + record.id.toStdString() + " has an unknown transport");
    record.transport = ServerTransport::fromStoredJson(
        *type,
        QJsonDocument::fromJson(query.value(TransportConfigColumn).toString().toUtf8()).object());
    record.credentialType = parseCredentialType(query.value(CredentialTypeColumn).toString())
                                .value_or(CredentialType::None);
    record.credentialHeader = query.value(CredentialHeaderColumn).toString();
    record.credentialConfigured = query.value(CredentialConfiguredColumn).toBool();
    record.enabled = query.value(EnabledColumn).toBool();
    record.owner = query.value(OwnerColumn).toString();
    record.createdAt = storage::fromDbTime(query.value(CreatedAtColumn).toString());
    record.updatedAt = storage::fromDbTime(query.value(UpdatedAtColumn).toString());
    record.revision = query.value(RevisionColumn).toLongLong();
    return record;
}

// Fills in the tags of `records` with one query.
void loadTags(const QSqlDatabase &db, QList<ServerRecord> &records)
{
    if (records.isEmpty())
        return;
    QStringList placeholders;
    for (qsizetype i = 0; i < records.size(); ++i)
        placeholders.append(QStringLiteral("?"));
    QSqlQuery query = prepare(db,
                              QStringLiteral("SELECT server_id, tag FROM server_tags WHERE "
                                             "server_id IN (%1) ORDER BY server_id, tag")
                                  .arg(placeholders.join(QLatin1String(", "))));
    for (const ServerRecord &record : std::as_const(records))
        query.addBindValue(record.id);
    exec(query);
    QHash<QString, QStringList> tags;
    while (query.next())
        tags[query.value(0).toString()].append(query.value(1).toString());
    for (ServerRecord &record : records)
        record.tags = tags.value(record.id);
}

void writeTags(const QSqlDatabase &db, const QString &serverId, const QStringList &tags,
               bool replace)
{
    if (replace) {
        QSqlQuery remove
            = prepare(db, QStringLiteral("DELETE FROM server_tags WHERE server_id = ?"));
        remove.addBindValue(serverId);
        exec(remove);
    }
    QSqlQuery insert
        = prepare(db, QStringLiteral("INSERT INTO server_tags (server_id, tag) VALUES (?, ?)"));
    for (const QString &tag : tags) {
        insert.bindValue(0, serverId);
        insert.bindValue(1, tag);
        exec(insert);
    }
}

// Whether another server of the tenant (not `exceptId`) is called `name`.
bool nameTaken(const QSqlDatabase &db, const QString &tenantId, const QString &name,
               const QString &exceptId)
{
    QSqlQuery query = prepare(
        db, QStringLiteral("SELECT 1 FROM servers WHERE tenant_id = ? AND name = ? AND id <> ?"));
    query.addBindValue(tenantId);
    query.addBindValue(name);
    query.addBindValue(exceptId);
    exec(query);
    return query.next();
}

RegistryError nameConflict(const QString &name)
{
    return RegistryError(RegistryError::Kind::NameConflict,
                         QStringLiteral("a server named \"%1\" already exists").arg(name));
}

RegistryError notFound(const QString &id)
{
    return RegistryError(RegistryError::Kind::NotFound,
                         QStringLiteral("no server with id \"%1\"").arg(id));
}

RegistryError staleRevision(qint64 current)
{
    return RegistryError(RegistryError::Kind::StaleRevision,
                         QStringLiteral("the server was changed meanwhile (it is at revision %1); "
                                        "fetch it again")
                             .arg(current));
}

// The stored revision of a server, locked against concurrent writers until the transaction ends.
std::optional<qint64> lockedRevision(const QSqlDatabase &db, Dialect dialect,
                                     const QString &tenantId, const QString &id)
{
    QString statement
        = QStringLiteral("SELECT revision FROM servers WHERE tenant_id = ? AND id = ?");
    if (dialect == Dialect::Postgres)
        statement += QStringLiteral(" FOR UPDATE");
    QSqlQuery query = prepare(db, statement);
    query.addBindValue(tenantId);
    query.addBindValue(id);
    exec(query);
    if (!query.next())
        return std::nullopt;
    return query.value(0).toLongLong();
}

} // namespace

ServerRepository::ServerRepository(storage::Database &database, storage::SecretBox &secrets)
    : m_database(database)
    , m_secrets(secrets)
{ }

ServerRecord ServerRepository::create(const QString &tenantId, const QString &owner,
                                      const ServerDraft &draft)
{
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString now = storage::currentDbTime();
    const ServerCredential credential = draft.credential.value_or(ServerCredential {});
    const Dialect dialect = m_database.dialect();
    const QSqlDatabase db = m_database.connection();
    {
        WriteTransaction transaction(db, dialect);
        if (nameTaken(db, tenantId, draft.name, QString()))
            throw nameConflict(draft.name);

        QSqlQuery insert = prepare(
            db,
            QStringLiteral("INSERT INTO servers (id, tenant_id, name, display_name, description, "
                           "transport, transport_config, credential_type, credential_header, "
                           "credential_secret, enabled, owner, created_at, updated_at, revision) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)"));
        insert.addBindValue(id);
        insert.addBindValue(tenantId);
        insert.addBindValue(draft.name);
        insert.addBindValue(notNullText(draft.displayName));
        insert.addBindValue(notNullText(draft.description));
        insert.addBindValue(transportTypeName(draft.transport.type));
        insert.addBindValue(QString::fromUtf8(
            QJsonDocument(draft.transport.toStoredJson()).toJson(QJsonDocument::Compact)));
        insert.addBindValue(credentialTypeName(credential.type));
        insert.addBindValue(credential.type == CredentialType::Header
                                ? QVariant(credential.headerName)
                                : nullText());
        insert.addBindValue(
            credential.type == CredentialType::None
                ? nullBytes()
                : QVariant(m_secrets.seal(credential.secret.toUtf8(), id.toUtf8())));
        insert.addBindValue(boolValue(dialect, draft.enabled));
        insert.addBindValue(owner);
        insert.addBindValue(now);
        insert.addBindValue(now);
        if (!insert.exec()) {
            const std::string error = describe(insert);
            const bool unique = isUniqueViolation(insert.lastError());
            transaction.rollback();
            // Another writer (on PostgreSQL, another daemon) took the name after the check.
            if (unique || nameTaken(db, tenantId, draft.name, QString()))
                throw nameConflict(draft.name);
            throw StorageError("cannot store server: " + error);
        }
        writeTags(db, id, draft.tags, false);
        transaction.commit();
    }
    auto record = get(tenantId, id);
    if (!record)
        throw StorageError("server " + id.toStdString() + " vanished right after it was stored");
    return *record;
}

std::optional<ServerRecord> ServerRepository::get(const QString &tenantId, const QString &id) const
{
    return fetchOne(tenantId, QStringLiteral("id"), id);
}

std::optional<ServerRecord> ServerRepository::findByName(const QString &tenantId,
                                                         const QString &name) const
{
    return fetchOne(tenantId, QStringLiteral("name"), name);
}

std::optional<ServerRecord> ServerRepository::fetchOne(const QString &tenantId,
                                                       const QString &column,
                                                       const QString &value) const
{
    const QSqlDatabase db = m_database.connection();
    QList<ServerRecord> records;
    {
        QSqlQuery query = prepare(db,
                                  QStringLiteral("SELECT ") + recordColumns
                                      + QStringLiteral(" FROM servers s WHERE "
                                                       "s.tenant_id = ? AND s.")
                                      + column + QStringLiteral(" = ?"));
        query.addBindValue(tenantId);
        query.addBindValue(value);
        exec(query);
        if (!query.next())
            return std::nullopt;
        records.append(recordFromRow(query));
    }
    loadTags(db, records);
    return records.constFirst();
}

ServerPage ServerRepository::list(const QString &tenantId, const ServerQuery &query) const
{
    const Dialect dialect = m_database.dialect();
    const QSqlDatabase db = m_database.connection();
    const int limit = std::clamp(query.limit, 1, ServerQuery::maxLimit);
    const QString column = sortColumn(query.sort);

    QString statement = QStringLiteral("SELECT ") + recordColumns
        + QStringLiteral(" FROM servers s WHERE s.tenant_id = ?");
    QVariantList binds {tenantId};
    if (query.tag) {
        statement
            += QStringLiteral(" AND EXISTS (SELECT 1 FROM server_tags t WHERE t.server_id = s.id "
                              "AND t.tag = ?)");
        binds.append(*query.tag);
    }
    if (query.transport) {
        statement += QStringLiteral(" AND s.transport = ?");
        binds.append(transportTypeName(*query.transport));
    }
    if (query.enabled) {
        statement += QStringLiteral(" AND s.enabled = ?");
        binds.append(boolValue(dialect, *query.enabled));
    }
    if (!query.text.isEmpty()) {
        // LOWER() on both sides, so the database's own case folding applies to each.
        statement += QStringLiteral(" AND (LOWER(s.name) LIKE LOWER(?) ESCAPE '!'"
                                    " OR LOWER(s.display_name) LIKE LOWER(?) ESCAPE '!'"
                                    " OR LOWER(s.description) LIKE LOWER(?) ESCAPE '!')");
        const QString pattern = containsPattern(query.text);
        binds << pattern << pattern << pattern;
    }
    const QString direction = query.descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
    if (!query.cursor.isEmpty()) {
        const ServerCursor cursor = ServerCursor::decode(query.cursor, query.sortName());
        const QString after = query.descending ? QStringLiteral("<") : QStringLiteral(">");
        statement += QStringLiteral(" AND (") + column + after + QStringLiteral(" ? OR (") + column
            + QStringLiteral(" = ? AND s.id ") + after + QStringLiteral(" ?))");
        binds << cursor.lastValue << cursor.lastValue << cursor.lastId;
    }
    statement += QStringLiteral(" ORDER BY ") + column + QLatin1Char(' ') + direction
        + QStringLiteral(", s.id ") + direction + QStringLiteral(" LIMIT ?");
    // One more than asked tells whether another page follows.
    binds.append(limit + 1);

    ServerPage page;
    QString lastSortValue;
    {
        QSqlQuery select = prepare(db, statement);
        for (const QVariant &value : std::as_const(binds))
            select.addBindValue(value);
        exec(select);
        const int sortIndex = sortColumnIndex(query.sort);
        while (select.next()) {
            if (page.items.size() == limit) {
                page.nextCursor
                    = ServerCursor {query.sortName(), lastSortValue, page.items.constLast().id}
                          .encode();
                break;
            }
            page.items.append(recordFromRow(select));
            lastSortValue = select.value(sortIndex).toString();
        }
    }
    loadTags(db, page.items);
    return page;
}

ServerRecord ServerRepository::update(const QString &tenantId, const QString &id,
                                      const ServerDraft &draft,
                                      std::optional<qint64> expectedRevision)
{
    const Dialect dialect = m_database.dialect();
    const QSqlDatabase db = m_database.connection();
    {
        WriteTransaction transaction(db, dialect);
        const auto revision = lockedRevision(db, dialect, tenantId, id);
        if (!revision)
            throw notFound(id);
        if (expectedRevision && *expectedRevision != *revision)
            throw staleRevision(*revision);
        if (nameTaken(db, tenantId, draft.name, id))
            throw nameConflict(draft.name);

        QString statement = QStringLiteral(
            "UPDATE servers SET name = ?, display_name = ?, description = ?, transport = ?, "
            "transport_config = ?, enabled = ?, updated_at = ?, revision = revision + 1");
        if (draft.credential)
            statement += QStringLiteral(
                ", credential_type = ?, credential_header = ?, credential_secret = ?");
        statement += QStringLiteral(" WHERE tenant_id = ? AND id = ? AND revision = ?");
        QSqlQuery change = prepare(db, statement);
        change.addBindValue(draft.name);
        change.addBindValue(notNullText(draft.displayName));
        change.addBindValue(notNullText(draft.description));
        change.addBindValue(transportTypeName(draft.transport.type));
        change.addBindValue(QString::fromUtf8(
            QJsonDocument(draft.transport.toStoredJson()).toJson(QJsonDocument::Compact)));
        change.addBindValue(boolValue(dialect, draft.enabled));
        change.addBindValue(storage::currentDbTime());
        if (const auto &credential = draft.credential) {
            change.addBindValue(credentialTypeName(credential->type));
            change.addBindValue(credential->type == CredentialType::Header
                                    ? QVariant(credential->headerName)
                                    : nullText());
            change.addBindValue(
                credential->type == CredentialType::None
                    ? nullBytes()
                    : QVariant(m_secrets.seal(credential->secret.toUtf8(), id.toUtf8())));
        }
        change.addBindValue(tenantId);
        change.addBindValue(id);
        change.addBindValue(*revision);
        if (!change.exec()) {
            const std::string error = describe(change);
            const bool unique = isUniqueViolation(change.lastError());
            transaction.rollback();
            if (unique || nameTaken(db, tenantId, draft.name, id))
                throw nameConflict(draft.name);
            throw StorageError("cannot update server: " + error);
        }
        if (change.numRowsAffected() != 1) {
            transaction.rollback();
            throw staleRevision(*revision + 1);
        }
        writeTags(db, id, draft.tags, true);
        transaction.commit();
    }
    auto record = get(tenantId, id);
    if (!record)
        throw notFound(id);
    return *record;
}

bool ServerRepository::remove(const QString &tenantId, const QString &id,
                              std::optional<qint64> expectedRevision)
{
    const Dialect dialect = m_database.dialect();
    const QSqlDatabase db = m_database.connection();
    WriteTransaction transaction(db, dialect);
    const auto revision = lockedRevision(db, dialect, tenantId, id);
    if (!revision)
        return false;
    if (expectedRevision && *expectedRevision != *revision)
        throw staleRevision(*revision);
    {
        // Explicit rather than by ON DELETE CASCADE, which SQLite applies only when a connection
        // enabled foreign keys.
        QSqlQuery tags = prepare(db, QStringLiteral("DELETE FROM server_tags WHERE server_id = ?"));
        tags.addBindValue(id);
        exec(tags);
        QSqlQuery server
            = prepare(db, QStringLiteral("DELETE FROM servers WHERE tenant_id = ? AND id = ?"));
        server.addBindValue(tenantId);
        server.addBindValue(id);
        exec(server);
    }
    transaction.commit();
    return true;
}

QString ServerRepository::credentialSecret(const QString &tenantId, const QString &id) const
{
    QByteArray sealed;
    {
        QSqlQuery query = prepare(m_database.connection(),
                                  QStringLiteral("SELECT credential_secret FROM servers WHERE "
                                                 "tenant_id = ? AND id = ?"));
        query.addBindValue(tenantId);
        query.addBindValue(id);
        exec(query);
        if (!query.next())
            throw notFound(id);
        if (query.value(0).isNull())
            return {};
        sealed = query.value(0).toByteArray();
    }
    return QString::fromUtf8(m_secrets.open(sealed, id.toUtf8()));
}

} // namespace mcpgate::registry
