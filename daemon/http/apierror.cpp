#include "apierror.h"

#include "httpresponse.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace mcpgate::http {

ApiError::ApiError(int status, QString type, QString title, QString detail)
    : m_status(status)
    , m_type(std::move(type))
    , m_title(std::move(title))
    , m_detail(std::move(detail))
{
    m_what = QByteArray::number(m_status) + ' ' + m_title.toUtf8();
    if (!m_detail.isEmpty())
        m_what += ": " + m_detail.toUtf8();
}

ApiError ApiError::badRequest(const QString &detail)
{
    return ApiError(400, QStringLiteral("bad-request"), QStringLiteral("Bad request"), detail);
}

ApiError ApiError::validation(const QJsonArray &fieldErrors)
{
    ApiError error(400, QStringLiteral("validation-failed"), QStringLiteral("Validation failed"),
                   QStringLiteral("%1 field(s) are invalid; see errors.").arg(fieldErrors.size()));
    error.m_fieldErrors = fieldErrors;
    return error;
}

ApiError ApiError::unauthorized(const QString &detail)
{
    ApiError error(401, QStringLiteral("unauthorized"), QStringLiteral("Authentication required"),
                   detail);
    error.m_headers.set("WWW-Authenticate", "Bearer realm=\"mcpgate\"");
    return error;
}

ApiError ApiError::forbidden(const QString &detail)
{
    return ApiError(403, QStringLiteral("forbidden"), QStringLiteral("Forbidden"), detail);
}

ApiError ApiError::notFound(const QString &detail)
{
    return ApiError(404, QStringLiteral("not-found"), QStringLiteral("Not found"), detail);
}

ApiError ApiError::methodNotAllowed(const QList<QByteArray> &allowed)
{
    const QByteArray allow = allowed.join(", ");
    ApiError error(405, QStringLiteral("method-not-allowed"), QStringLiteral("Method not allowed"),
                   QStringLiteral("Allowed methods: %1").arg(QString::fromLatin1(allow)));
    error.m_headers.set("Allow", allow);
    return error;
}

ApiError ApiError::conflict(const QString &detail)
{
    return ApiError(409, QStringLiteral("conflict"), QStringLiteral("Conflict"), detail);
}

ApiError ApiError::preconditionFailed(const QString &detail)
{
    return ApiError(412, QStringLiteral("precondition-failed"),
                    QStringLiteral("Precondition failed"), detail);
}

ApiError ApiError::payloadTooLarge(qint64 limit)
{
    return ApiError(413, QStringLiteral("content-too-large"), QStringLiteral("Content too large"),
                    QStringLiteral("The request body exceeds the limit of %1 bytes.").arg(limit));
}

ApiError ApiError::unsupportedMediaType(const QString &detail)
{
    return ApiError(415, QStringLiteral("unsupported-media-type"),
                    QStringLiteral("Unsupported media type"), detail);
}

ApiError ApiError::serviceUnavailable(const QString &detail)
{
    return ApiError(503, QStringLiteral("service-unavailable"),
                    QStringLiteral("Service unavailable"), detail);
}

ApiError ApiError::internal(const QString &detail)
{
    return ApiError(500, QStringLiteral("internal-error"), QStringLiteral("Internal server error"),
                    detail.isEmpty()
                        ? QStringLiteral("The request failed; the daemon log has the details.")
                        : detail);
}

HttpResponse ApiError::toResponse(const QString &instance, const QByteArray &requestId) const
{
    QJsonObject body {
        {QStringLiteral("type"), QString(QStringLiteral("https://mcpgate.dev/problems/") + m_type)},
        {QStringLiteral("title"), m_title},
        {QStringLiteral("status"), m_status},
    };
    if (!m_detail.isEmpty())
        body.insert(QStringLiteral("detail"), m_detail);
    if (!instance.isEmpty())
        body.insert(QStringLiteral("instance"), instance);
    if (!requestId.isEmpty())
        body.insert(QStringLiteral("requestId"), QString::fromLatin1(requestId));
    if (!m_fieldErrors.isEmpty())
        body.insert(QStringLiteral("errors"), m_fieldErrors);

    HttpResponse response;
    response.status = m_status;
    response.headers = m_headers;
    response.headers.set("Content-Type", "application/problem+json");
    response.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return response;
}

const char *ApiError::what() const noexcept
{
    return m_what.constData();
}

} // namespace mcpgate::http
