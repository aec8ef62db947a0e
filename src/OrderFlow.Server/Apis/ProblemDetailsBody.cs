using Microsoft.AspNetCore.Mvc;

namespace OrderFlow.Server.Apis;

/// <summary>RFC 7807 problem details with the common statuses used by the APIs.</summary>
public sealed class ProblemDetailsBody : ProblemDetails
{
    public static ProblemDetailsBody NotFound(string detail) => new() { Status = 404, Title = "Not found", Detail = detail };

    public static ProblemDetailsBody Conflict(string detail) => new() { Status = 409, Title = "Conflict", Detail = detail };
}
