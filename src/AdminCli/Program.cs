using System.CommandLine;

// The MHA office's command line. Commands arrive with the admin CLI work (see README "Roadmap"); the root
// already gives --help and --version so packaging and conventions can be checked.
var root = new RootCommand("mharights - MHA office administration for the MhaRights service");
return await root.Parse(args).InvokeAsync();
