// Feeds arbitrary bytes, parsed as JSON, to ServerValidator as a create body and as a PATCH body:
// each must give a draft or a ValidationError with at least one field error, never crash or throw
// anything else. A "[create, patch]" array also patches the created server. An accepted server
// must validate again from its own stored form.
#include "registry/jsonmergepatch.h"
#include "registry/serverdraft.h"
#include "registry/serverrecord.h"
#include "registry/servervalidator.h"
#include "registry/validationerror.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdlib>
#include <optional>

using namespace mcpgate::registry;

namespace {

void check(bool condition)
{
    if (!condition)
        std::abort();
}

ServerRecord recordOf(const ServerDraft &draft)
{
    ServerRecord record;
    record.id = QStringLiteral("00000000-0000-4000-8000-000000000000");
    record.tenantId = QStringLiteral("default");
    record.name = draft.name;
    record.displayName = draft.displayName;
    record.description = draft.description;
    record.transport = draft.transport;
    const ServerCredential credential = draft.credential.value_or(ServerCredential {});
    record.credentialType = credential.type;
    record.credentialHeader = credential.headerName;
    record.credentialConfigured = credential.type != CredentialType::None;
    record.tags = draft.tags;
    record.enabled = draft.enabled;
    record.revision = 1;
    return record;
}

ServerRecord fixedRecord()
{
    ServerRecord record;
    record.id = QStringLiteral("00000000-0000-4000-8000-000000000001");
    record.name = QStringLiteral("github");
    record.displayName = QStringLiteral("GitHub");
    record.transport.stdio.command = QStringLiteral("/usr/bin/github-mcp");
    record.transport.stdio.args = {QStringLiteral("--stdio")};
    record.transport.stdio.env = {{QStringLiteral("LOG"), QStringLiteral("1")}};
    record.tags = {QStringLiteral("dev")};
    return record;
}

// The draft, or std::nullopt after checking that the error names at least one field.
template<typename Validate> std::optional<ServerDraft> attempt(Validate validate)
{
    try {
        return validate();
    } catch (const ValidationError &error) {
        check(!error.fieldErrors().isEmpty());
        for (const QJsonValue &entry : error.fieldErrors()) {
            const QJsonObject object = entry.toObject();
            check(object.value(QLatin1String("field")).isString());
            check(!object.value(QLatin1String("message")).toString().isEmpty());
        }
        return std::nullopt;
    }
}

void checkAccepted(const ServerDraft &draft)
{
    check(ServerValidator::isValidName(draft.name));
    check(!draft.displayName.isEmpty());
    for (const QString &tag : draft.tags)
        check(ServerValidator::isValidTag(tag));
    // What the registry would store and hand back validates again, unchanged.
    const ServerRecord record = recordOf(draft);
    const auto again
        = attempt([&] { return ServerValidator::validatePatch(record, QJsonObject()); });
    check(again.has_value());
    check(again->name == draft.name && again->displayName == draft.displayName
          && again->description == draft.description && again->tags == draft.tags
          && again->enabled == draft.enabled && !again->credential.has_value());
    check(again->transport.toJson() == draft.transport.toJson());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError)
        return 0;
    const QJsonValue input
        = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());

    if (const auto created = attempt([&] { return ServerValidator::validateCreate(input); }))
        checkAccepted(*created);
    if (const auto patched
        = attempt([&] { return ServerValidator::validatePatch(fixedRecord(), input); }))
        checkAccepted(*patched);

    const QJsonArray pair = document.array();
    if (pair.size() == 2) {
        if (const auto created
            = attempt([&] { return ServerValidator::validateCreate(pair[0]); })) {
            if (const auto patched = attempt(
                    [&] { return ServerValidator::validatePatch(recordOf(*created), pair[1]); }))
                checkAccepted(*patched);
        }
        // Merge patch laws: patching with the same patch twice changes nothing more.
        const QJsonValue once = applyMergePatch(pair[0], pair[1]);
        check(applyMergePatch(once, pair[1]) == once);
    }
    return 0;
}
