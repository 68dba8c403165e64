/**
 * Words for a plausible architecture and engineering firm's tenant. Several
 * carry an apostrophe, so `where name = '...'` exercises '' escaping on real data.
 */
export const NAMED_CLIENTS: readonly { name: string; company: string }[] = [
  { name: 'Riverside Health System', company: 'Riverside Health System, Inc.' },
  { name: 'City of Maplewood', company: 'City of Maplewood Public Works' },
  { name: "O'Connell Development Group", company: "O'Connell Development Group LLC" },
  { name: 'Harbor Point Schools', company: 'Harbor Point Unified School District' },
  { name: 'Northgate Properties', company: 'Northgate Properties LLC' },
  { name: "St. Mary's Parish", company: "St. Mary's Catholic Parish" },
  { name: 'Cedar Valley University', company: 'Cedar Valley University Facilities' },
  { name: 'Summit Hospitality Partners', company: 'Summit Hospitality Partners LP' },
  { name: 'Lakeshore Transit Authority', company: 'Lakeshore Regional Transit Authority' },
  { name: 'Greenfield Municipal Utilities', company: 'Greenfield Municipal Utilities' },
  { name: 'Bayview Medical Center', company: 'Bayview Medical Center' },
  { name: 'Keystone Logistics', company: 'Keystone Logistics Corp.' },
  { name: 'Pine Ridge County', company: 'Pine Ridge County Board of Supervisors' },
  { name: 'Atlas Biotech', company: 'Atlas Biotech, Inc.' },
  { name: 'Meridian Retail Holdings', company: 'Meridian Retail Holdings' },
  { name: "D'Amato Family Trust", company: "D'Amato Family Trust" },
  { name: 'Westbrook Senior Living', company: 'Westbrook Senior Living Communities' },
  { name: 'Ironwood Manufacturing', company: 'Ironwood Manufacturing Co.' },
  { name: 'Copperline Data Centers', company: 'Copperline Data Centers LLC' },
  { name: 'Silver Lake Library District', company: 'Silver Lake Library District' },
];

export const PLACES = [
  'Riverside', 'Maplewood', 'Harbor Point', 'Cedar Valley', 'Northgate', 'Lakeshore', 'Pine Ridge', 'Bayview', 'Westbrook', 'Silver Lake',
  'Ashford', 'Brookside', 'Fairview', 'Granite Falls', 'Highland Park', 'Ironwood', 'Juniper Hills', 'Kingsbridge', 'Oak Hollow', 'Stonegate',
  "St. Mary's", "O'Hare Road",
] as const;

export const CLIENT_KINDS = ['Housing Authority', 'Medical Group', 'School District', 'Development Partners', 'Holdings', 'Parks Department', 'Water District', 'Community College'] as const;

export const FACILITIES = [
  'Clinic', 'Elementary School', 'Fire Station', 'Public Library', 'Medical Office Building', 'Community Center', 'Transit Center', 'Police Headquarters',
  'Senior Living Residence', 'Science Building', 'Parking Structure', 'Water Treatment Plant', 'City Hall', 'Aquatic Center', 'Data Center',
  'Distribution Warehouse', 'Mixed-Use Tower', 'Performing Arts Center',
] as const;

export const SCOPES = ['Expansion', 'Renovation', 'New Construction', 'Addition', 'Seismic Retrofit', 'Interior Fit-Out', 'Master Plan', 'Modernization', 'Facade Restoration'] as const;

/** Level 1, 2 and 3 names: phases, discipline sub-phases, deliverable packages. */
export const PHASES = ['Pre-Design', 'Schematic Design', 'Design Development', 'Construction Documents', 'Bidding & Negotiation', 'Construction Administration'] as const;
export const DISCIPLINES = ['Architecture', 'Structural Engineering', 'MEP Engineering', 'Civil & Site', 'Landscape Architecture', 'Interior Design'] as const;
export const PACKAGES = ['Permit Set', 'Addendum 1', 'Addendum 2', 'Change Orders', 'Value Engineering'] as const;

export const MARKET_SECTORS = ['Healthcare', 'Education', 'Civic', 'Commercial', 'Transportation', 'Residential', 'Industrial'] as const;

export const ACTIVITIES: readonly { code: string; name: string; description: string; billRate: number; costRate: number }[] = [
  { code: 'PRIN', name: 'Principal', description: 'Principal-in-charge time', billRate: 245, costRate: 110 },
  { code: 'PM', name: 'Project Management', description: 'Scope, schedule and budget management', billRate: 195, costRate: 85 },
  { code: 'ARCH', name: 'Architectural Design', description: 'Design and documentation', billRate: 165, costRate: 70 },
  { code: 'DRFT', name: 'Drafting', description: 'CAD and BIM production', billRate: 120, costRate: 48 },
  { code: 'STRC', name: 'Structural Analysis', description: 'Structural calculations and review', billRate: 175, costRate: 75 },
  { code: 'MEP', name: 'MEP Design', description: 'Mechanical, electrical and plumbing design', billRate: 170, costRate: 72 },
  { code: 'CA', name: 'Construction Administration', description: 'Submittals, RFIs and pay applications', billRate: 150, costRate: 65 },
  { code: 'SITE', name: 'Site Visit', description: 'Field observation', billRate: 150, costRate: 65 },
  { code: 'PERM', name: 'Permitting', description: 'Agency submittals and plan check responses', billRate: 140, costRate: 60 },
  { code: 'SPEC', name: 'Specifications', description: 'Project manual and specifications', billRate: 135, costRate: 58 },
  { code: 'QC', name: 'Quality Control', description: 'Internal QA/QC review', billRate: 160, costRate: 70 },
  { code: 'ADMIN', name: 'Administrative', description: 'Non-billable office administration', billRate: 0, costRate: 40 },
];
