using System.Globalization;

namespace MhaRights.Bench;

/// <summary>
/// What the load driver may ask for, written by the generator next to the database (&lt;db&gt;.workload): patient ids
/// (flagged when they have an open episode at the as-of time), the explanation duties awaiting explanation (with
/// their version and the communication needs an attempt must address) and the wards with open duties.
/// </summary>
internal sealed class Workload
{
    public DateTime AsOf { get; private set; }

    public List<(string PatientId, bool Current)> Patients { get; } = [];

    public List<(string PatientId, string DutyId, long Version, string[] Needs)> Duties { get; } = [];

    public List<(string Hospital, string Ward)> Wards { get; } = [];

    public static void Write(string path, DateTime asOf, IEnumerable<(string PatientId, bool Current)> patients,
        IEnumerable<Generator.WorkloadDuty> duties, IEnumerable<(string Hospital, string Ward)> wards)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("# MhaRights bench workload v1 (bench/Harness/Workload.cs)");
        writer.WriteLine("asof\t" + asOf.ToString("O", CultureInfo.InvariantCulture));
        foreach (var (id, current) in patients)
        {
            writer.WriteLine(current ? $"P\t{id}\t1" : $"P\t{id}\t0");
        }

        foreach (var d in duties)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"D\t{d.PatientId}\t{d.DutyId}\t{d.Version}\t{d.NeedCategories}"));
        }

        foreach (var (hospital, ward) in wards.OrderBy(w => w.Hospital, StringComparer.Ordinal).ThenBy(w => w.Ward, StringComparer.Ordinal))
        {
            writer.WriteLine($"W\t{hospital}\t{ward}");
        }
    }

    public static Workload Read(string path)
    {
        var workload = new Workload();
        var patients = workload.Patients;
        var duties = workload.Duties;
        var wards = workload.Wards;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split('\t');
            switch (parts[0])
            {
                case "asof":
                    workload.AsOf = DateTime.Parse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
                    break;
                case "P":
                    patients.Add((parts[1], parts[2] == "1"));
                    break;
                case "D":
                    duties.Add((parts[1], parts[2], long.Parse(parts[3], CultureInfo.InvariantCulture), parts[4].Length == 0 ? [] : parts[4].Split(',')));
                    break;
                case "W":
                    wards.Add((parts[1], parts[2]));
                    break;
                default:
                    throw new InvalidDataException($"{path}: unknown line '{line}'.");
            }
        }

        return workload;
    }
}
