using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace FetchAgent.Storage.Sqlite;

/// <summary>
/// Many rows of one table through one prepared statement: the parameters are made once and only their values change
/// from row to row. A 50-object load spent ~3.5 ms of the one writer's time inserting its rows when each row was its
/// own command execution with a fresh set of parameters (Dapper's list execute); every other load's write waits
/// behind that time. SQLite itself takes ~0.5 ms for the same rows.
/// </summary>
internal sealed class PreparedInsert<TRow>
{
    private readonly string _sql;
    private readonly (string Name, PropertyInfo Property)[] _columns;

    public PreparedInsert(Table table)
    {
        _sql = table.Insert + ";";
        _columns = table.Columns
            .Select(c => (Table.Parameter(c), typeof(TRow).GetProperty(Table.Property(c))
                ?? throw new InvalidOperationException($"{typeof(TRow).Name} has no property for column {table.Name}.{c}")))
            .ToArray();
    }

    public void Run(SqliteConnection connection, DbTransaction transaction, IReadOnlyList<TRow> rows)
    {
        if (rows.Count == 0)
            return;
        using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = _sql;
        var parameters = new SqliteParameter[_columns.Length];
        for (var i = 0; i < _columns.Length; i++)
            parameters[i] = command.Parameters.Add(new SqliteParameter(_columns[i].Name, null));
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < _columns.Length; i++)
                parameters[i].Value = _columns[i].Property.GetValue(row) ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }
}
