namespace MhaRights.Server.Patients;

public static class PatientsSetup
{
    public static IServiceCollection AddPatients(this IServiceCollection services) =>
        services.AddScoped<PatientDirectory>();
}
