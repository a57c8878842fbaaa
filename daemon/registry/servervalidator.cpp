#include "registry/servervalidator.h"

#include "registry/jsonmergepatch.h"
#include "registry/serverdraft.h"
#include "registry/serverrecord.h"
#include "registry/validationerror.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <QSet>

#include <optional>

namespace mcpgate::registry {

namespace {

const QRegularExpression
    namePattern(QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9-]{0,62}")));
const QRegularExpression
    tagPattern(QRegularExpression::anchoredPattern(QStringLiteral("[a-z0-9][a-z0-9._-]{0,31}")));
const QRegularExpression
    envNamePattern(QRegularExpression::anchoredPattern(QStringLiteral("[A-Za-z_][A-Za-z0-9_]*")));
// RFC 9110 section 5.6.2: token = 1*tchar.
const QRegularExpression headerNamePattern(
    QRegularExpression::anchoredPattern(QStringLiteral("[!#$%&'*+.^_`|~0-9A-Za-z-]+")));

const QStringList topLevelFields = {
    QStringLiteral("name"),      QStringLiteral("displayName"), QStringLiteral("description"),
    QStringLiteral("transport"), QStringLiteral("credential"),  QStringLiteral("tags"),
    QStringLiteral("enabled"),
};
const QStringList readOnlyFields = {
    QStringLiteral("id"),        QStringLiteral("tenant"),    QStringLiteral("owner"),
    QStringLiteral("createdAt"), QStringLiteral("updatedAt"), QStringLiteral("revision"),
};

QString join(const QString &prefix, const QString &key)
{
    return prefix.isEmpty() ? key : prefix + QLatin1Char('.') + key;
}

QString indexed(const QString &field, qsizetype index)
{
    return field + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

qsizetype characterCount(const QString &text)
{
    return text.toUcs4().size();
}

bool containsNul(const QString &text)
{
    return text.contains(QChar(u'\0'));
}

// CR and LF would split a header line; NUL ends it early in some servers.
bool isSafeHeaderValue(const QString &text)
{
    return !containsNul(text) && !text.contains(QLatin1Char('\r'))
        && !text.contains(QLatin1Char('\n'));
}

class Checker final
{
public:
    explicit Checker(FieldErrors &errors)
        : m_errors(errors)
    { }

    void fail(const QString &field, const QString &message) { m_errors.add(field, message); }

    void checkMembers(const QJsonObject &object, const QString &prefix, const QStringList &allowed,
                      const QString &unknownMessage = QStringLiteral("unknown field"))
    {
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (!allowed.contains(it.key()))
                fail(join(prefix, it.key()), unknownMessage);
        }
    }

    // The member as a string when present and of the right type.
    std::optional<QString> string(const QJsonObject &object, const QString &prefix,
                                  const QString &key, bool required)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined()) {
            if (required)
                fail(join(prefix, key), QStringLiteral("is required"));
            return std::nullopt;
        }
        if (!value.isString()) {
            fail(join(prefix, key), QStringLiteral("must be a string"));
            return std::nullopt;
        }
        return value.toString();
    }

    // The member as an object when present and of the right type.
    std::optional<QJsonObject> object(const QJsonObject &parent, const QString &prefix,
                                      const QString &key, bool required)
    {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined()) {
            if (required)
                fail(join(prefix, key), QStringLiteral("is required"));
            return std::nullopt;
        }
        if (!value.isObject()) {
            fail(join(prefix, key), QStringLiteral("must be an object"));
            return std::nullopt;
        }
        return value.toObject();
    }

    // A JSON object of strings, such as environment variables or headers.
    // `checkEntry(field, name, value)` reports what is wrong with one entry.
    template<typename CheckEntry>
    QMap<QString, QString> stringMap(const QJsonObject &object, const QString &field,
                                     CheckEntry checkEntry)
    {
        QMap<QString, QString> map;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QString entryField = join(field, it.key());
            if (!it.value().isString()) {
                fail(entryField, QStringLiteral("must be a string"));
                continue;
            }
            checkEntry(entryField, it.key(), it.value().toString());
            map.insert(it.key(), it.value().toString());
        }
        return map;
    }

    void checkStdio(const QJsonObject &transport, const QString &prefix, StdioTransport &stdio)
    {
        checkMembers(transport, prefix,
                     {QStringLiteral("type"), QStringLiteral("command"), QStringLiteral("args"),
                      QStringLiteral("env"), QStringLiteral("cwd")},
                     QStringLiteral("is not a field of a stdio transport"));

        if (const auto command = string(transport, prefix, QStringLiteral("command"), true)) {
            const QString field = join(prefix, QStringLiteral("command"));
            if (command->isEmpty())
                fail(field, QStringLiteral("must not be empty"));
            else if (characterCount(*command) > ServerValidator::maxCommandLength)
                fail(field,
                     QStringLiteral("must be at most %1 characters")
                         .arg(ServerValidator::maxCommandLength));
            else if (containsNul(*command))
                fail(field, QStringLiteral("must not contain NUL characters"));
            stdio.command = *command;
        }

        const QString argsField = join(prefix, QStringLiteral("args"));
        const QJsonValue args = transport.value(QLatin1String("args"));
        if (!args.isUndefined() && !args.isArray()) {
            fail(argsField, QStringLiteral("must be an array of strings"));
        } else if (args.isArray()) {
            const QJsonArray list = args.toArray();
            if (list.size() > ServerValidator::maxArgs)
                fail(argsField,
                     QStringLiteral("must have at most %1 items").arg(ServerValidator::maxArgs));
            for (qsizetype i = 0; i < list.size(); ++i) {
                if (!list.at(i).isString())
                    fail(indexed(argsField, i), QStringLiteral("must be a string"));
                else if (containsNul(list.at(i).toString()))
                    fail(indexed(argsField, i), QStringLiteral("must not contain NUL characters"));
                else
                    stdio.args.append(list.at(i).toString());
            }
        }

        if (const auto env = object(transport, prefix, QStringLiteral("env"), false)) {
            stdio.env = stringMap(
                *env, join(prefix, QStringLiteral("env")),
                [this](const QString &field, const QString &name, const QString &value) {
                    if (!envNamePattern.match(name).hasMatch())
                        fail(field,
                             QStringLiteral("is not a valid environment "
                                            "variable name ([A-Za-z_][A-Za-z0-9_]*)"));
                    else if (containsNul(value))
                        fail(field, QStringLiteral("must not contain NUL characters"));
                });
        }

        if (const auto cwd = string(transport, prefix, QStringLiteral("cwd"), false)) {
            if (cwd->isEmpty() || !QDir::isAbsolutePath(*cwd) || containsNul(*cwd))
                fail(join(prefix, QStringLiteral("cwd")),
                     QStringLiteral("must be an absolute path"));
            stdio.cwd = *cwd;
        }
    }

    void checkHttp(const QJsonObject &transport, const QString &prefix, TransportType type,
                   HttpTransport &http)
    {
        checkMembers(
            transport, prefix,
            {QStringLiteral("type"), QStringLiteral("url"), QStringLiteral("headers")},
            QStringLiteral("is not a field of a %1 transport").arg(transportTypeName(type)));

        if (const auto text = string(transport, prefix, QStringLiteral("url"), true)) {
            const QString field = join(prefix, QStringLiteral("url"));
            const QUrl url(*text, QUrl::StrictMode);
            const QString scheme = url.scheme();
            if (!url.isValid()
                || (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
                fail(field, QStringLiteral("must be an http or https URL"));
            else if (url.host().isEmpty())
                fail(field, QStringLiteral("must name a host"));
            else if (!url.userName().isEmpty() || !url.password().isEmpty())
                fail(field,
                     QStringLiteral("must not contain a user name or password; "
                                    "put credentials in \"credential\""));
            http.url = url;
        }

        if (const auto headers = object(transport, prefix, QStringLiteral("headers"), false)) {
            http.headers = stringMap(
                *headers, join(prefix, QStringLiteral("headers")),
                [this](const QString &field, const QString &name, const QString &value) {
                    if (const QString problem = headerNameProblem(name, false); !problem.isEmpty())
                        fail(field, problem);
                    else if (!isSafeHeaderValue(value))
                        fail(field, QStringLiteral("must not contain CR, LF or NUL characters"));
                });
        }
    }

    // Why `name` cannot be a configured header, or an empty string when it can. Authorization
    // is allowed only as a header credential, whose value is stored sealed.
    static QString headerNameProblem(const QString &name, bool forCredential)
    {
        if (!headerNamePattern.match(name).hasMatch())
            return QStringLiteral("is not a valid HTTP header name");
        const QString lower = name.toLower();
        static const QStringList managed = {
            QStringLiteral("host"),
            QStringLiteral("content-length"),
            QStringLiteral("transfer-encoding"),
            QStringLiteral("connection"),
            QStringLiteral("keep-alive"),
            QStringLiteral("upgrade"),
            QStringLiteral("te"),
            QStringLiteral("trailer"),
            QStringLiteral("proxy-connection"),
            QStringLiteral("mcp-session-id"),
            QStringLiteral("mcp-protocol-version"),
        };
        if (managed.contains(lower))
            return QStringLiteral("is set by the gateway and cannot be configured");
        if (!forCredential && lower == QLatin1String("authorization"))
            return QStringLiteral("must not be set here; configure it as \"credential\"");
        return {};
    }

    ServerTransport transport(const QJsonObject &input)
    {
        ServerTransport result;
        const QString prefix = QStringLiteral("transport");
        const auto object = this->object(input, QString(), prefix, true);
        if (!object)
            return result;
        const auto typeName = string(*object, prefix, QStringLiteral("type"), true);
        if (!typeName)
            return result;
        const auto type = parseTransportType(*typeName);
        if (!type) {
            fail(join(prefix, QStringLiteral("type")),
                 QStringLiteral("must be one of stdio, streamable-http, sse"));
            return result;
        }
        result.type = *type;
        if (result.isHttp())
            checkHttp(*object, prefix, *type, result.http);
        else
            checkStdio(*object, prefix, result.stdio);
        return result;
    }

    // A secret that becomes a header value upstream.
    void checkSecret(const QJsonObject &credential, const QString &prefix, const QString &key,
                     ServerCredential &result)
    {
        const auto secret = string(credential, prefix, key, true);
        if (!secret)
            return;
        const QString field = join(prefix, key);
        if (secret->isEmpty())
            fail(field, QStringLiteral("must not be empty"));
        else if (characterCount(*secret) > ServerValidator::maxSecretLength)
            fail(field,
                 QStringLiteral("must be at most %1 characters")
                     .arg(ServerValidator::maxSecretLength));
        else if (!isSafeHeaderValue(*secret))
            fail(field, QStringLiteral("must not contain CR, LF or NUL characters"));
        result.secret = *secret;
    }

    ServerCredential credential(const QJsonObject &input)
    {
        ServerCredential result;
        const QString prefix = QStringLiteral("credential");
        const auto object = this->object(input, QString(), prefix, false);
        if (!object)
            return result;
        const auto typeName = string(*object, prefix, QStringLiteral("type"), true);
        if (!typeName)
            return result;
        const auto type = parseCredentialType(*typeName);
        if (!type) {
            fail(join(prefix, QStringLiteral("type")),
                 QStringLiteral("must be one of none, bearer, header"));
            return result;
        }
        result.type = *type;
        const QString typeField = QStringLiteral("type");
        switch (*type) {
        case CredentialType::None:
            checkMembers(*object, prefix, {typeField},
                         QStringLiteral("is not a field of a \"none\" credential"));
            break;
        case CredentialType::Bearer:
            checkMembers(*object, prefix, {typeField, QStringLiteral("token")},
                         QStringLiteral("is not a field of a bearer credential"));
            checkSecret(*object, prefix, QStringLiteral("token"), result);
            break;
        case CredentialType::Header:
            checkMembers(*object, prefix,
                         {typeField, QStringLiteral("name"), QStringLiteral("value")},
                         QStringLiteral("is not a field of a header credential"));
            if (const auto name = string(*object, prefix, QStringLiteral("name"), true)) {
                if (const QString problem = headerNameProblem(*name, true); !problem.isEmpty())
                    fail(join(prefix, QStringLiteral("name")), problem);
                result.headerName = *name;
            }
            checkSecret(*object, prefix, QStringLiteral("value"), result);
            break;
        }
        return result;
    }

    QStringList tags(const QJsonObject &input)
    {
        QStringList result;
        const QString field = QStringLiteral("tags");
        const QJsonValue value = input.value(field);
        if (value.isUndefined())
            return result;
        if (!value.isArray()) {
            fail(field, QStringLiteral("must be an array of strings"));
            return result;
        }
        const QJsonArray list = value.toArray();
        if (list.size() > ServerValidator::maxTags)
            fail(field, QStringLiteral("must have at most %1 tags").arg(ServerValidator::maxTags));
        QSet<QString> seen;
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QString itemField = indexed(field, i);
            if (!list.at(i).isString()) {
                fail(itemField, QStringLiteral("must be a string"));
                continue;
            }
            const QString tag = list.at(i).toString();
            if (!tagPattern.match(tag).hasMatch())
                fail(itemField,
                     QStringLiteral("must be 1 to 32 lowercase letters, digits, '.', "
                                    "'_' or '-', starting with a letter or digit"));
            else if (seen.contains(tag))
                fail(itemField, QStringLiteral("duplicate tag"));
            seen.insert(tag);
            result.append(tag);
        }
        return result;
    }

    ServerDraft draft(const QJsonValue &input)
    {
        ServerDraft result;
        if (!input.isObject()) {
            fail(QStringLiteral("body"), QStringLiteral("must be a JSON object"));
            return result;
        }
        const QJsonObject object = input.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            if (readOnlyFields.contains(it.key()))
                fail(it.key(), QStringLiteral("is read-only"));
            else if (!topLevelFields.contains(it.key()))
                fail(it.key(), QStringLiteral("unknown field"));
        }

        if (const auto name = string(object, QString(), QStringLiteral("name"), true)) {
            if (!namePattern.match(*name).hasMatch())
                fail(QStringLiteral("name"),
                     QStringLiteral("must be 1 to 63 lowercase letters, digits or '-', starting "
                                    "with a letter or digit"));
            result.name = *name;
        }
        result.displayName = result.name;
        result.description = QStringLiteral("");
        if (const auto displayName
            = string(object, QString(), QStringLiteral("displayName"), false)) {
            const qsizetype length = characterCount(*displayName);
            if (length < 1 || length > ServerValidator::maxDisplayNameLength)
                fail(QStringLiteral("displayName"),
                     QStringLiteral("must be 1 to %1 characters")
                         .arg(ServerValidator::maxDisplayNameLength));
            result.displayName = *displayName;
        }
        if (const auto description
            = string(object, QString(), QStringLiteral("description"), false)) {
            if (characterCount(*description) > ServerValidator::maxDescriptionLength)
                fail(QStringLiteral("description"),
                     QStringLiteral("must be at most %1 characters")
                         .arg(ServerValidator::maxDescriptionLength));
            result.description = *description;
        }
        result.transport = transport(object);
        result.credential = credential(object);
        result.tags = tags(object);
        const QJsonValue enabled = object.value(QLatin1String("enabled"));
        if (!enabled.isUndefined() && !enabled.isBool())
            fail(QStringLiteral("enabled"), QStringLiteral("must be true or false"));
        result.enabled = enabled.toBool(true);
        return result;
    }

private:
    FieldErrors &m_errors;
};

} // namespace

bool ServerValidator::isValidName(const QString &name)
{
    return namePattern.match(name).hasMatch();
}

bool ServerValidator::isValidTag(const QString &tag)
{
    return tagPattern.match(tag).hasMatch();
}

ServerDraft ServerValidator::validateCreate(const QJsonValue &input)
{
    FieldErrors errors;
    ServerDraft result = Checker(errors).draft(input);
    errors.throwIfAny();
    return result;
}

ServerDraft ServerValidator::validatePatch(const ServerRecord &current, const QJsonValue &patch)
{
    const QJsonValue merged = applyMergePatch(current.toInputJson(), patch);
    FieldErrors errors;
    ServerDraft result = Checker(errors).draft(merged);
    errors.throwIfAny();
    // The stored record's input form has no credential (its secret is not readable here), so the
    // merged document has one only when the patch sets one; null is the way to remove it.
    if (!patch.toObject().contains(QLatin1String("credential")))
        result.credential.reset();
    return result;
}

} // namespace mcpgate::registry
