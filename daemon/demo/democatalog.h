// What the demo MCP server offers: its tools (with their JSON Schemas and argument checks),
// its one resource and its one prompt, shaped for the protocol revision in use.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace mcpgate::mcp {
struct RevisionFeatures;
}

namespace mcpgate::demo {

class DemoCatalog final
{
public:
    static inline const QString ReadmeUri = QStringLiteral("demo://readme");
    static constexpr int MaxSlowSeconds = 60;
    static constexpr int MaxSlowSteps = 1000;
    static constexpr int MaxBigKilobytes = 16384;

    static QJsonArray tools(const mcp::RevisionFeatures &features);
    static bool hasTool(const QString &name);
    // Checks `arguments` against the tool's input schema; the problem in words, or nullopt.
    static std::optional<QString> checkArguments(const QString &tool, const QJsonObject &arguments);
    // Runs one of the tools that answer at once (everything but "slow"). Arguments are checked.
    static QJsonObject callTool(const QString &tool, const QJsonObject &arguments,
                                const mcp::RevisionFeatures &features);
    // A tool result that reports a failure to the model rather than to the protocol.
    static QJsonObject toolError(const QString &text);
    static QJsonObject textResult(const QString &text);

    static QJsonArray resources(const mcp::RevisionFeatures &features);
    // resources/read contents, or nullopt for an unknown URI.
    static std::optional<QJsonArray> readResource(const QString &uri);

    static QJsonArray prompts(const mcp::RevisionFeatures &features);
    // prompts/get result, or nullopt with `error` set (unknown prompt, missing argument).
    static std::optional<QJsonObject> getPrompt(const QString &name, const QJsonObject &arguments,
                                                QString *error);

    static QString instructions();
};

} // namespace mcpgate::demo
