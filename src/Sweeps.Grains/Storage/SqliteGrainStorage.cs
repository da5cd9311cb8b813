using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Sweeps.Grains.Storage;

/// <summary>
/// Grain state in one local SQLite file, for the embedded silo of <c>sweeps run</c>: a killed run
/// resumes from it. Each (grain, state name) row carries an integer ETag; a write whose ETag is
/// stale fails with <see cref="InconsistentStateException"/>, as Orleans' providers do. The file
/// uses WAL journaling, so a committed write survives the process being killed. Database work
/// runs on the thread pool, not on the grain scheduler; one connection is shared, since SQLite
/// allows one writer at a time anyway.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage, IDisposable
{
    private readonly IGrainStorageSerializer _serializer;
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public SqliteGrainStorage(string databasePath, IGrainStorageSerializer serializer)
    {
        _serializer = serializer;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA wal_autocheckpoint = 16384;
            PRAGMA busy_timeout = 10000;
            CREATE TABLE IF NOT EXISTS grain_state (
                grain_id   TEXT    NOT NULL,
                state_name TEXT    NOT NULL,
                etag       INTEGER NOT NULL,
                data       BLOB    NOT NULL,
                updated_at TEXT    NOT NULL,
                PRIMARY KEY (grain_id, state_name));
            """);
    }

    public string DatabasePath => _connection.DataSource;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Locked(() =>
    {
        using var command = Command("SELECT etag, data FROM grain_state WHERE grain_id = $id AND state_name = $name", grainId, stateName);
        using var reader = command.ExecuteReader();
        if (reader.Read())
        {
            grainState.ETag = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
            grainState.State = _serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(1)));
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
    });

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Locked(() =>
    {
        var data = ArrayOf(_serializer.Serialize(grainState.State));
        long newETag;
        if (grainState.ETag is null)
        {
            using var insert = Command("""
                INSERT INTO grain_state (grain_id, state_name, etag, data, updated_at)
                VALUES ($id, $name, 1, $data, $now) ON CONFLICT DO NOTHING
                """, grainId, stateName);
            insert.Parameters.AddWithValue("$data", data);
            insert.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
            if (insert.ExecuteNonQuery() == 0)
            {
                throw Inconsistent(grainId, stateName, null);
            }

            newETag = 1;
        }
        else
        {
            var expected = long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
            using var update = Command("""
                UPDATE grain_state SET etag = etag + 1, data = $data, updated_at = $now
                WHERE grain_id = $id AND state_name = $name AND etag = $etag
                """, grainId, stateName);
            update.Parameters.AddWithValue("$data", data);
            update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O"));
            update.Parameters.AddWithValue("$etag", expected);
            if (update.ExecuteNonQuery() == 0)
            {
                throw Inconsistent(grainId, stateName, grainState.ETag);
            }

            newETag = expected + 1;
        }

        grainState.ETag = newETag.ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    });

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Locked(() =>
    {
        using var delete = Command(
            "DELETE FROM grain_state WHERE grain_id = $id AND state_name = $name AND etag = $etag", grainId, stateName);
        delete.Parameters.AddWithValue("$etag", grainState.ETag is null ? -1L : long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture));
        if (delete.ExecuteNonQuery() == 0 && (grainState.ETag is not null || StoredETag(grainId, stateName) is not null))
        {
            throw Inconsistent(grainId, stateName, grainState.ETag);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    });

    public void Dispose()
    {
        _connection.Dispose();
        _lock.Dispose();
    }

    private async Task Locked(Action action)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            await Task.Run(action).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The serialized bytes as an array, without copying them when they already are one (a task's results are ~1 MB).</summary>
    private static byte[] ArrayOf(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : data.ToArray();

    private SqliteCommand Command(string sql, GrainId grainId, string stateName)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", grainId.ToString());
        command.Parameters.AddWithValue("$name", stateName);
        return command;
    }

    private string? StoredETag(GrainId grainId, string stateName)
    {
        using var command = Command("SELECT etag FROM grain_state WHERE grain_id = $id AND state_name = $name", grainId, stateName);
        return command.ExecuteScalar() is long etag ? etag.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private InconsistentStateException Inconsistent(GrainId grainId, string stateName, string? currentETag) =>
        new($"state '{stateName}' of grain {grainId} was changed by another writer (ETag {currentETag ?? "none"} is stale)",
            StoredETag(grainId, stateName) ?? "none", currentETag ?? "none");

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
