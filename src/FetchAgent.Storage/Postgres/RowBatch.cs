using System.Reflection;
using Npgsql;

namespace FetchAgent.Storage.Postgres;

/// <summary>
/// Many rows of one table in one round trip: an <see cref="NpgsqlBatch"/> of one INSERT per row, positional
/// parameters taken from the row's properties (named as <see cref="Table"/> names its columns). A 50-object load
/// is one exchange with the server instead of fifty.
/// </summary>
internal sealed class RowBatch<TRow>
{
    private readonly string _sql;
    private readonly PropertyInfo[] _properties;

    public RowBatch(Table table)
    {
        _sql = $"INSERT INTO {table.Name} ({table.ColumnList}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$" + (i + 1)))})";
        _properties = table.Columns
            .Select(c => typeof(TRow).GetProperty(Table.Property(c))
                ?? throw new InvalidOperationException($"{typeof(TRow).Name} has no property for column {table.Name}.{c}"))
            .ToArray();
    }

    public async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return;
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(_sql);
            foreach (var property in _properties)
            {
                var value = property.GetValue(row);
                // A null's type comes from its property, so the server never has to guess it from the column.
                command.Parameters.Add(value is null
                    ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NullType(property.PropertyType) }
                    : new NpgsqlParameter { Value = value });
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlTypes.NpgsqlDbType NullType(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(long) => NpgsqlTypes.NpgsqlDbType.Bigint,
            var t when t == typeof(double) => NpgsqlTypes.NpgsqlDbType.Double,
            _ => NpgsqlTypes.NpgsqlDbType.Text,
        };
}
