// Checks server registration input from the REST API (create bodies and JSON merge patches)
// against every rule at once and turns it into a ServerDraft, or a ValidationError listing all
// problems by field path ("transport.url", "tags[2]", "transport.env.FOO", "credential.token").
#pragma once

class QJsonValue;
class QString;

namespace mcpgate::registry {

struct ServerDraft;
struct ServerRecord;

class ServerValidator final
{
public:
    // Longest accepted values, for documentation and tests.
    static constexpr int maxDisplayNameLength = 200; // characters
    static constexpr int maxDescriptionLength = 2000;
    static constexpr int maxTags = 32;
    static constexpr int maxCommandLength = 4096;
    static constexpr int maxArgs = 256;
    static constexpr int maxSecretLength = 8192;

    // Server names: 1 to 63 of [a-z0-9-], not starting with '-'.
    static bool isValidName(const QString &name);
    // Tags: 1 to 32 of [a-z0-9._-], starting with a letter or digit.
    static bool isValidTag(const QString &tag);

    // A create body. Defaults: displayName = name, description "", tags [], enabled true,
    // credential none. Throws ValidationError.
    static ServerDraft validateCreate(const QJsonValue &input);
    // A PATCH body, applied as a JSON merge patch to `current`'s input form, the result then
    // validated like a create body. A patch without "credential" keeps the stored credential
    // (draft.credential unset); "credential": {...} replaces it; "credential": null removes it.
    // Throws ValidationError.
    static ServerDraft validatePatch(const ServerRecord &current, const QJsonValue &patch);
};

} // namespace mcpgate::registry
