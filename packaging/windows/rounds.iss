; Inno Setup script of the Rounds installer for Windows (Inno Setup 6).
; Built on a Windows machine after `make dist` there; see README.md beside this file:
;   iscc /DAppVersion=0.1.0 packaging\windows\rounds.iss
; Installs for every user of the machine under Program Files, adds a Start-menu entry and an
; uninstaller. Silent install for IT: rounds-setup-VERSION.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z rounds.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\.."
#endif
#ifndef DistDir
  #define DistDir SourceDir + "\dist\rounds"
#endif

[Setup]
AppId={{6A3C1E52-4B0D-4C55-9E0B-2F7A5D3C8B41}
AppName=Rounds
AppVersion={#AppVersion}
AppVerName=Rounds {#AppVersion}
AppPublisher=Rounds
VersionInfoVersion={#AppVersion}
VersionInfoProductName=Rounds
DefaultDirName={autopf}\Rounds
DefaultGroupName=Rounds
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#SourceDir}\dist
OutputBaseFilename=rounds-setup-{#AppVersion}
SetupIconFile={#SourceDir}\resources\icons\rounds.ico
UninstallDisplayIcon={app}\rounds.exe
UninstallDisplayName=Rounds {#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Rounds"; Filename: "{app}\rounds.exe"; WorkingDir: "{app}"

[Run]
Filename: "{app}\rounds.exe"; Description: "{cm:LaunchProgram,Rounds}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; the build's own files only: learners' data lives in their profile and is kept
Type: filesandordirs; Name: "{app}\_internal"
