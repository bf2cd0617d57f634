using Microsoft.Data.Sqlite;
using MLTrack.Core.Deploy;

namespace MLTrack.Core.Storage.Sqlite;

public sealed partial class SqliteTrackingStore
{
    private const string DeploymentColumns =
        "deployment_id, run_id, target, name, model_name, model_version, status, endpoint_url, message, created_at, updated_at, settings, host_pid, host_name";

    public void SaveDeployment(DeploymentRecord d) => Write((c, tx) =>
    {
        c.Exec($"INSERT OR REPLACE INTO deployments ({DeploymentColumns}) VALUES (@id, @run, @t, @n, @mn, @mv, @s, @u, @m, @c, @up, @cfg, @pid, @host)", tx,
            ("@id", d.DeploymentId), ("@run", d.RunId), ("@t", d.Target), ("@n", d.Name), ("@mn", d.ModelName), ("@mv", d.ModelVersion),
            ("@s", d.Status.ToString()), ("@u", d.EndpointUrl), ("@m", d.Message), ("@c", d.CreatedAt), ("@up", d.UpdatedAt),
            ("@cfg", d.Settings.ToJson()), ("@pid", d.HostPid), ("@host", d.HostName));
    });

    public DeploymentRecord? FindDeployment(string deploymentId) => Read(c =>
    {
        using var cmd = c.Command($"SELECT {DeploymentColumns} FROM deployments WHERE deployment_id = @id", null, ("@id", deploymentId));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadDeployment(r) : null;
    });

    public IReadOnlyList<DeploymentRecord> ListDeployments(string? runId = null) => Read(c =>
    {
        using var cmd = runId is null
            ? c.Command($"SELECT {DeploymentColumns} FROM deployments ORDER BY created_at DESC, deployment_id", null)
            : c.Command($"SELECT {DeploymentColumns} FROM deployments WHERE run_id = @r ORDER BY created_at DESC, deployment_id", null, ("@r", runId));
        using var r = cmd.ExecuteReader();
        var list = new List<DeploymentRecord>();
        while (r.Read()) list.Add(ReadDeployment(r));
        return (IReadOnlyList<DeploymentRecord>)list;
    });

    public bool DeleteDeployment(string deploymentId) =>
        Write((c, tx) => c.Exec("DELETE FROM deployments WHERE deployment_id = @id", tx, ("@id", deploymentId)) > 0);

    private static DeploymentRecord ReadDeployment(SqliteDataReader r) => new()
    {
        DeploymentId = r.GetString(0),
        RunId = r.GetString(1),
        Target = r.GetString(2),
        Name = r.GetString(3),
        ModelName = r.IsDBNull(4) ? null : r.GetString(4),
        ModelVersion = r.IsDBNull(5) ? null : r.GetString(5),
        Status = Enum.TryParse<DeploymentStatus>(r.GetString(6), out var s) ? s : DeploymentStatus.FAILED,
        EndpointUrl = r.IsDBNull(7) ? null : r.GetString(7),
        Message = r.IsDBNull(8) ? null : r.GetString(8),
        CreatedAt = r.GetInt64(9),
        UpdatedAt = r.GetInt64(10),
        Settings = DeploymentSettings.FromJson(r.GetString(11)),
        HostPid = r.GetInt32(12),
        HostName = r.IsDBNull(13) ? null : r.GetString(13),
    };
}
