using System.Globalization;
using System.Text;

namespace MhaRights.Bench.Load;

/// <summary>
/// Writes a CSV for <c>mharights import</c> (src/AdminCli/README.md, "Bulk import"): one legal status episode per row,
/// most with one explanation attempt, 1-3 episodes per patient one after another, the last sometimes still open.
/// Fixed seed, so every run imports the same file.
/// </summary>
internal static class ImportCsv
{
    private const string Header =
        "local_id,nhs_number,given_name,family_name,date_of_birth,sex,ethnic_category,preferred_language,interpreter_needed," +
        "nearest_relative_status,nearest_relative_name,nearest_relative_relationship,nearest_relative_address,provision,suspended_provision," +
        "hospital,ward,start_time,end_time,end_reason,end_note,duty,attempt_time,explained_by,explained_by_role,outcome,oral_given," +
        "written_given,leaflet_id,nearest_relative_sharing,attempt_note";

    public static int Run(Args args)
    {
        var rows = args.Int("rows", 1000);
        var path = args.Require("out");
        var random = new Random(args.Int("seed", 9));
        var text = new StringBuilder(Header).Append('\n');
        var written = 0;
        var nhsBase = 600_000_000L;
        for (var patient = 1; written < rows; patient++)
        {
            var localId = string.Create(CultureInfo.InvariantCulture, $"IMP-{patient:D7}");
            var nhs = NextNhs(ref nhsBase, random);
            var identified = random.NextDouble() < 0.8;
            var person = string.Create(CultureInfo.InvariantCulture,
                $"{localId},{nhs},Alex,Import{patient},{1950 + random.Next(55)}-0{1 + random.Next(9)}-1{random.Next(10)},{(random.NextDouble() < 0.56 ? "male" : "female")},A,en,no,")
                + (identified ? "identified,Sam Import,mother,\"1 High Street, Derby DE1 1AA\"" : "none-identified,,,");
            // Local times between 08:00 and 20:00 in 2025: never in the ambiguous hour of a clock change.
            var start = new DateTime(2025, 1, 1, 8, 0, 0).AddDays(random.Next(0, 300)).AddMinutes(random.Next(0, 600));
            var episodes = Math.Min(1 + random.Next(3), rows - written);
            for (var e = 0; e < episodes; e++)
            {
                var (provision, length) = random.NextDouble() switch
                {
                    < 0.15 => ("s136", TimeSpan.FromHours(4 + random.Next(14))),
                    < 0.60 => ("s2", TimeSpan.FromDays(3 + random.Next(24))),
                    < 0.95 => ("s3", TimeSpan.FromDays(20 + random.Next(150))),
                    _ => ("s5(2)", TimeSpan.FromHours(6 + random.Next(60))),
                };
                var end = Awake(start + length);
                if (end > LastEnd)
                {
                    // The service refuses times in the future: a patient's history ends well before the run.
                    break;
                }

                var open = e == episodes - 1 && provision == "s3" && random.NextDouble() < 0.5;
                var endText = open ? ",," : $"{Local(end)},{(provision == "s136" ? "expired" : "discharged-by-responsible-clinician")},";
                var attempt = random.NextDouble() < 0.85
                    ? $"s132(1),{Local(AttemptTime(start, end, random))},Jo Nurse,Staff nurse,{(random.NextDouble() < 0.75 ? "understood" : "not-understood")},yes,yes,DH-{provision.ToUpperInvariant()},agrees,"
                    : ",,,,,,,,,";
                text.Append(person).Append(',').Append(provision).Append(",,RXM01,ASH,").Append(Local(start)).Append(',').Append(endText).Append(',').Append(attempt).Append('\n');
                written++;
                start = end.AddDays(1 + random.Next(60));
                if (start.Hour < 8 || start.Hour > 19)
                {
                    start = start.Date.AddHours(9);
                }
            }
        }

        File.WriteAllText(path, text.ToString());
        Console.WriteLine($"Wrote {written:N0} rows to {path}");
        return 0;
    }

    /// <summary>No episode ends after this (London local), months before any run of this benchmark.</summary>
    private static readonly DateTime LastEnd = new(2026, 6, 1, 8, 0, 0);

    /// <summary>Clear of 00:00-03:00, where a clock change makes a London local time ambiguous or missing.</summary>
    private static DateTime Awake(DateTime local) => local.Hour < 3 ? local.AddHours(3) : local;

    private static DateTime AttemptTime(DateTime start, DateTime end, Random random)
    {
        var at = start + ((end - start) * (0.05 + (0.35 * random.NextDouble())));
        return at.Hour < 3 ? start.AddMinutes(10) : at;
    }

    private static string Local(DateTime local) => local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string NextNhs(ref long counter, Random random)
    {
        while (true)
        {
            var digits = (counter += 1 + random.Next(5)).ToString(CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 9; i++)
            {
                sum += (digits[i] - '0') * (10 - i);
            }

            var check = 11 - (sum % 11);
            if (check != 10)
            {
                return digits + (check == 11 ? 0 : check).ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
