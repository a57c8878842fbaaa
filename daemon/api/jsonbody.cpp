#include "jsonbody.h"

#include "common/strictjson.h"
#include "http/apierror.h"
#include "http/httprequest.h"

#include <QJsonDocument>

namespace mcpgate::api {

QJsonObject readJsonObject(const http::HttpRequest &request, const QByteArrayList &acceptedTypes)
{
    const QByteArray contentType = request.headers.value("Content-Type");
    const qsizetype parameters = contentType.indexOf(';');
    const QByteArray mediaType
        = (parameters < 0 ? contentType : contentType.left(parameters)).trimmed().toLower();
    if (!acceptedTypes.contains(mediaType)) {
        throw http::ApiError::unsupportedMediaType(
            QStringLiteral("Send the body as %1.")
                .arg(QString::fromLatin1(acceptedTypes.join(" or "))));
    }
    const json::StrictParseResult parsed = json::parseStrict(request.body);
    if (!parsed.ok())
        throw http::ApiError::badRequest(
            QStringLiteral("The body is not valid JSON: %1.").arg(parsed.detail));
    const QJsonDocument &document = parsed.document;
    if (!document.isObject())
        throw http::ApiError::badRequest(QStringLiteral("The body must be a JSON object."));
    return document.object();
}

} // namespace mcpgate::api
