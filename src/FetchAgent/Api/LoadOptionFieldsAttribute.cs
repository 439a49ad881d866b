namespace FetchAgent.Api;

/// <summary>
/// A request record whose body also carries the load options: <see cref="LoadOptionSchemas"/> adds every option of
/// the catalogue to its OpenAPI schema, after the record's own properties.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class LoadOptionFieldsAttribute : Attribute
{
    /// <summary>A sweepable option may also be an array of values (<c>POST /api/comparisons</c>).</summary>
    public bool Sweeps { get; init; }

    /// <summary>Options the body accepts but the schema does not advertise, by REST name.</summary>
    public string[] Omit { get; init; } = [];
}
