#include "democatalog.h"

#include "common/protocolversion.h"

#include <QLocale>

#include <array>
#include <cmath>

namespace mcpgate::demo {

namespace {

enum class ArgType
{
    String,
    Number,
    Integer
};

struct ArgSpec
{
    const char *name;
    ArgType type;
    bool required;
    const char *description;
    double minimum = NAN; // NAN: no bound
    double maximum = NAN;
    double defaultValue = NAN;
};

struct ToolSpec
{
    const char *name;
    const char *title;
    const char *description;
    std::array<ArgSpec, 2> args;
    int argCount;
    bool hasOutputSchema;
};

const std::array<ToolSpec, 5> kTools = {{
    {"echo",
     "Echo",
     "Returns the given message unchanged.",
     {{{"message", ArgType::String, true, "Text to send back."}, {}}},
     1,
     false},
    {"add",
     "Add two numbers",
     "Adds two numbers and returns the sum.",
     {{{"a", ArgType::Number, true, "First addend."},
       {"b", ArgType::Number, true, "Second addend."}}},
     2,
     true},
    {"slow",
     "Slow operation",
     "Waits the given number of seconds in steps, reporting progress at each step; honours "
     "cancellation.",
     {{{"seconds", ArgType::Number, true, "How long to take, 0 to 60.", 0,
        DemoCatalog::MaxSlowSeconds},
       {"steps", ArgType::Integer, false, "How many progress steps, 1 to 1000.", 1,
        DemoCatalog::MaxSlowSteps, 5}}},
     2,
     false},
    {"fail",
     "Always fail",
     "Always ends in a tool error, with the given message if any.",
     {{{"message", ArgType::String, false, "Error text to report."}, {}}},
     1,
     false},
    {"big",
     "Large output",
     "Returns deterministic text of the given size in kilobytes (1 to 16384).",
     {{{"kilobytes", ArgType::Integer, true, "Size of the text in KiB.", 1,
        DemoCatalog::MaxBigKilobytes},
       {}}},
     1,
     false},
}};

const ToolSpec *findTool(const QString &name)
{
    for (const ToolSpec &tool : kTools) {
        if (name == QLatin1String(tool.name))
            return &tool;
    }
    return nullptr;
}

QString key(const char *text)
{
    return QString::fromLatin1(text);
}

QJsonObject inputSchema(const ToolSpec &tool)
{
    QJsonObject properties;
    QJsonArray required;
    for (int i = 0; i < tool.argCount; ++i) {
        const ArgSpec &arg = tool.args.at(i);
        QJsonObject property {{QStringLiteral("description"), key(arg.description)}};
        switch (arg.type) {
        case ArgType::String:
            property.insert(QStringLiteral("type"), QStringLiteral("string"));
            break;
        case ArgType::Number:
            property.insert(QStringLiteral("type"), QStringLiteral("number"));
            break;
        case ArgType::Integer:
            property.insert(QStringLiteral("type"), QStringLiteral("integer"));
            break;
        }
        if (!std::isnan(arg.minimum))
            property.insert(QStringLiteral("minimum"), arg.minimum);
        if (!std::isnan(arg.maximum))
            property.insert(QStringLiteral("maximum"), arg.maximum);
        if (!std::isnan(arg.defaultValue))
            property.insert(QStringLiteral("default"), arg.defaultValue);
        properties.insert(key(arg.name), property);
        if (arg.required)
            required.append(key(arg.name));
    }
    QJsonObject schema {{QStringLiteral("type"), QStringLiteral("object")},
                        {QStringLiteral("properties"), properties},
                        {QStringLiteral("additionalProperties"), false}};
    if (!required.isEmpty())
        schema.insert(QStringLiteral("required"), required);
    return schema;
}

QString formatNumber(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

// Deterministic filler: numbered 64-byte lines, so a reader can tell where a cut happened.
QString bigText(int kilobytes)
{
    const qsizetype size = qsizetype(kilobytes) * 1024;
    QByteArray out;
    out.reserve(size);
    for (qsizetype line = 0; out.size() < size; ++line) {
        QByteArray text
            = "mcpgate demo payload line " + QByteArray::number(line).rightJustified(8, '0');
        text = text.leftJustified(63, '.') + '\n';
        out += text;
    }
    out.truncate(size);
    return QString::fromLatin1(out);
}

QJsonObject readmeResource(const mcp::RevisionFeatures &features)
{
    QJsonObject resource {
        {QStringLiteral("uri"), DemoCatalog::ReadmeUri},
        {QStringLiteral("name"), QStringLiteral("readme")},
        {QStringLiteral("description"), QStringLiteral("What the demo server offers.")},
        {QStringLiteral("mimeType"), QStringLiteral("text/markdown")}};
    if (features.titles)
        resource.insert(QStringLiteral("title"), QStringLiteral("Demo server README"));
    return resource;
}

QString readmeText()
{
    return QStringLiteral(
        "# mcpgate-demo-server\n\n"
        "A small MCP server shipped with MCPGate for the quick start, tests and benchmarks.\n\n"
        "## Tools\n\n"
        "- `echo` returns its `message`.\n"
        "- `add` returns the sum of `a` and `b`.\n"
        "- `slow` takes `seconds` in `steps`, reporting progress; it can be cancelled.\n"
        "- `fail` always reports a tool error.\n"
        "- `big` returns `kilobytes` KiB of text.\n\n"
        "## Prompts\n\n"
        "- `greeting` greets `name`.\n");
}

} // namespace

QJsonArray DemoCatalog::tools(const mcp::RevisionFeatures &features)
{
    QJsonArray out;
    for (const ToolSpec &spec : kTools) {
        QJsonObject tool {{QStringLiteral("name"), key(spec.name)},
                          {QStringLiteral("description"), key(spec.description)},
                          {QStringLiteral("inputSchema"), inputSchema(spec)}};
        if (features.titles)
            tool.insert(QStringLiteral("title"), key(spec.title));
        if (features.toolAnnotations) {
            QJsonObject annotations {{QStringLiteral("readOnlyHint"), true},
                                     {QStringLiteral("destructiveHint"), false},
                                     {QStringLiteral("idempotentHint"), true},
                                     {QStringLiteral("openWorldHint"), false}};
            if (!features.titles)
                annotations.insert(QStringLiteral("title"), key(spec.title));
            tool.insert(QStringLiteral("annotations"), annotations);
        }
        if (spec.hasOutputSchema && features.structuredContent) {
            tool.insert(
                QStringLiteral("outputSchema"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("object")},
                             {QStringLiteral("properties"),
                              QJsonObject {{QStringLiteral("sum"),
                                            QJsonObject {{QStringLiteral("type"),
                                                          QStringLiteral("number")}}}}},
                             {QStringLiteral("required"), QJsonArray {QStringLiteral("sum")}}});
        }
        out.append(tool);
    }
    return out;
}

bool DemoCatalog::hasTool(const QString &name)
{
    return findTool(name) != nullptr;
}

std::optional<QString> DemoCatalog::checkArguments(const QString &toolName,
                                                   const QJsonObject &arguments)
{
    const ToolSpec *tool = findTool(toolName);
    if (!tool)
        return QStringLiteral("Unknown tool: %1").arg(toolName);
    for (auto it = arguments.constBegin(); it != arguments.constEnd(); ++it) {
        bool known = false;
        for (int i = 0; i < tool->argCount; ++i)
            known = known || it.key() == QLatin1String(tool->args.at(i).name);
        if (!known)
            return QStringLiteral("Unexpected argument '%1'.").arg(it.key());
    }
    for (int i = 0; i < tool->argCount; ++i) {
        const ArgSpec &arg = tool->args.at(i);
        const QString name = key(arg.name);
        const QJsonValue value = arguments.value(name);
        if (value.isUndefined()) {
            if (arg.required)
                return QStringLiteral("Missing required argument '%1'.").arg(name);
            continue;
        }
        switch (arg.type) {
        case ArgType::String:
            if (!value.isString())
                return QStringLiteral("Argument '%1' must be a string.").arg(name);
            continue;
        case ArgType::Number:
            if (!value.isDouble())
                return QStringLiteral("Argument '%1' must be a number.").arg(name);
            break;
        case ArgType::Integer:
            if (!value.isDouble() || std::trunc(value.toDouble()) != value.toDouble())
                return QStringLiteral("Argument '%1' must be an integer.").arg(name);
            break;
        }
        const double number = value.toDouble();
        if ((!std::isnan(arg.minimum) && number < arg.minimum)
            || (!std::isnan(arg.maximum) && number > arg.maximum)) {
            return QStringLiteral("Argument '%1' must be between %2 and %3.")
                .arg(name, formatNumber(arg.minimum), formatNumber(arg.maximum));
        }
    }
    return std::nullopt;
}

QJsonObject DemoCatalog::textResult(const QString &text)
{
    return QJsonObject {{QStringLiteral("content"),
                         QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                                                  {QStringLiteral("text"), text}}}}};
}

QJsonObject DemoCatalog::toolError(const QString &text)
{
    QJsonObject result = textResult(text);
    result.insert(QStringLiteral("isError"), true);
    return result;
}

QJsonObject DemoCatalog::callTool(const QString &tool, const QJsonObject &arguments,
                                  const mcp::RevisionFeatures &features)
{
    if (tool == QLatin1String("echo"))
        return textResult(arguments.value(QLatin1String("message")).toString());
    if (tool == QLatin1String("add")) {
        const double sum = arguments.value(QLatin1String("a")).toDouble()
            + arguments.value(QLatin1String("b")).toDouble();
        QJsonObject result = textResult(formatNumber(sum));
        if (features.structuredContent)
            result.insert(QStringLiteral("structuredContent"),
                          QJsonObject {{QStringLiteral("sum"), sum}});
        return result;
    }
    if (tool == QLatin1String("fail")) {
        const QString message = arguments.value(QLatin1String("message")).toString();
        return toolError(message.isEmpty()
                             ? QStringLiteral("The fail tool failed, as it always does.")
                             : message);
    }
    if (tool == QLatin1String("big"))
        return textResult(bigText(arguments.value(QLatin1String("kilobytes")).toInt()));
    return toolError(QStringLiteral("Tool '%1' cannot run here.").arg(tool));
}

QJsonArray DemoCatalog::resources(const mcp::RevisionFeatures &features)
{
    return QJsonArray {readmeResource(features)};
}

std::optional<QJsonArray> DemoCatalog::readResource(const QString &uri)
{
    if (uri != ReadmeUri)
        return std::nullopt;
    return QJsonArray {QJsonObject {{QStringLiteral("uri"), ReadmeUri},
                                    {QStringLiteral("mimeType"), QStringLiteral("text/markdown")},
                                    {QStringLiteral("text"), readmeText()}}};
}

QJsonArray DemoCatalog::prompts(const mcp::RevisionFeatures &features)
{
    QJsonObject prompt {
        {QStringLiteral("name"), QStringLiteral("greeting")},
        {QStringLiteral("description"), QStringLiteral("Asks the model to greet someone by name.")},
        {QStringLiteral("arguments"),
         QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("name")},
                                  {QStringLiteral("description"), QStringLiteral("Who to greet.")},
                                  {QStringLiteral("required"), true}}}}};
    if (features.titles)
        prompt.insert(QStringLiteral("title"), QStringLiteral("Greeting"));
    return QJsonArray {prompt};
}

std::optional<QJsonObject> DemoCatalog::getPrompt(const QString &name, const QJsonObject &arguments,
                                                  QString *error)
{
    if (name != QLatin1String("greeting")) {
        *error = QStringLiteral("Unknown prompt: %1").arg(name);
        return std::nullopt;
    }
    const QJsonValue who = arguments.value(QLatin1String("name"));
    if (!who.isString() || who.toString().isEmpty()) {
        *error = QStringLiteral("Missing required argument 'name'.");
        return std::nullopt;
    }
    const QJsonObject message {
        {QStringLiteral("role"), QStringLiteral("user")},
        {QStringLiteral("content"),
         QJsonObject {{QStringLiteral("type"), QStringLiteral("text")},
                      {QStringLiteral("text"),
                       QStringLiteral("Please greet %1 warmly.").arg(who.toString())}}}};
    return QJsonObject {
        {QStringLiteral("description"), QStringLiteral("A greeting for %1").arg(who.toString())},
        {QStringLiteral("messages"), QJsonArray {message}}};
}

QString DemoCatalog::instructions()
{
    return QStringLiteral(
        "A demo server for testing MCP clients and gateways. Use `echo`, `add`, `slow`, "
        "`fail` and `big`; read demo://readme for details.");
}

} // namespace mcpgate::demo
