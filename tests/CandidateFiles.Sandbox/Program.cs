using CandidateFiles.Sandbox;

SandboxApp.Build(args).Run();
